import Foundation

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

    /// Every setting as `key.path → JSON text`, from the synthesised encoding.
    func flattenedSettings() -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self),
              let tree = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var flat: [String: String] = [:]
        func walk(_ node: [String: Any], prefix: String) {
            for (key, value) in node {
                if let child = value as? [String: Any] {
                    walk(child, prefix: prefix + key + ".")
                } else if let text = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) {
                    flat[prefix + key] = String(decoding: text, as: UTF8.self)
                }
            }
        }
        walk(tree, prefix: "")
        return flat
    }
}
