import Foundation
import NNTasks

extension TrainingConfig {
    /// One setting whose value differs between two configurations, named by its key as in
    /// YAML configs and the stored config (`weight_decay`, `data.train_size`).
    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        public let key: String
        /// The values as JSON text; `unset` for an optional setting without a value.
        public let stored: String
        public let requested: String

        public var description: String { "\(key): \(stored) there, \(requested) here" }
    }

    /// The settings of `self` (requested) that differ from `stored`, in key order; empty when the
    /// two configurations are equal. Every setting takes part, so a new one needs no edit here.
    public func differences(from stored: TrainingConfig) -> [Difference] {
        let mine = flattenedSettings(), theirs = stored.flattenedSettings()
        return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
            let (s, r) = (theirs[key] ?? "unset", mine[key] ?? "unset")
            return s == r ? nil : Difference(key: key, stored: s, requested: r)
        }
    }

    /// Every setting as `key.path → JSON text`, from the stored form.
    func flattenedSettings() -> [String: String] {
        guard let tree = try? settingsTree() else { return [:] }
        var flat: [String: String] = [:]
        for (key, value) in tree {
            if key == "data", case .object(let data) = value {
                for (dataKey, dataValue) in data { flat["data." + dataKey] = dataValue.jsonText }
            } else {
                flat[key] = value.jsonText
            }
        }
        return flat
    }
}
