import Foundation
import NNCheckpoint
import NNTrain

/// What a file already at a run's checkpoint path means for that run: a run counts as done only
/// when its stored configuration equals the requested one, whatever the file is called.
enum ExistingRun: Equatable {
    /// No file there.
    case absent
    /// A checkpoint trained with exactly the requested settings.
    case same
    /// A checkpoint trained with other settings.
    case different([TrainingConfig.Difference])
    /// A file whose settings cannot be read (not a checkpoint, damaged, or from an unknown version).
    case unreadable(String)

    /// Compares the checkpoint at `path`, if any, with `config`.
    static func at(_ path: String, requested config: TrainingConfig) -> ExistingRun {
        read(path, requested: config).state
    }

    /// Compares the checkpoint at `path`, if any, with `config`; also returns the checkpoint
    /// (training record included) when it could be read, so a sweep's index need not read it again.
    static func read(_ path: String, requested config: TrainingConfig) -> (state: ExistingRun, checkpoint: Checkpoint?) {
        guard FileManager.default.fileExists(atPath: path) else { return (.absent, nil) }
        let checkpoint: Checkpoint, stored: TrainingConfig
        do {
            checkpoint = try Checkpoint.read(from: path, training: true, convNets: true)
            stored = try JSONDecoder().decode(TrainingConfig.self, from: Data(checkpoint.config.utf8))
        } catch let error as FileFormatError {
            return (.unreadable(error.problem), nil)
        } catch is DecodingError {
            return (.unreadable("its stored config is not a training configuration this version reads"), nil)
        } catch {
            return (.unreadable("\(error)"), nil)
        }
        let differences = config.differences(from: stored)
        return (differences.isEmpty ? .same : .different(differences), checkpoint)
    }

    /// Why training into `path` is refused without `--overwrite`; nil when it may go ahead.
    func refusal(for path: String) -> String? {
        switch self {
        case .absent, .same:
            return nil
        case .different(let differences):
            let shown = differences.prefix(4).map(\.description).joined(separator: "; ")
            return "\(path) holds a run trained with other settings (\(shown)\(differences.count > 4 ? "; …" : "")): "
                + "save elsewhere, or pass --overwrite to replace it"
        case .unreadable(let problem):
            return "\(path) exists but is not a checkpoint whose settings can be compared (\(problem)): "
                + "save elsewhere, or pass --overwrite to replace it"
        }
    }
}
