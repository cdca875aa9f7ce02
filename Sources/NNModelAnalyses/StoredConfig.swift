import Foundation
import NNTrain

/// The training configuration a checkpoint stores (JSON), decoded in this one place: analyses
/// read only its `task`, `seed` and `data`.
enum StoredConfig {
    /// The configuration in `json`, or nil when it is not an nnprobe training configuration.
    static func decode(_ json: String) -> TrainingConfig? {
        guard let data = json.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(TrainingConfig.self, from: data)
    }
}
