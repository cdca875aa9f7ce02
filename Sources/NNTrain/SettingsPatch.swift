import Foundation
import NNTasks

/// Changes to some settings, keyed as configuration files key them (`lr`, `data.train_size`):
/// what a YAML config, a recipe step and the command-line flags each become. Applied once,
/// onto the defaults (or a base), by `runs(from:)`.
///
/// A value may list several values, or give an integer range as `"0..99"`; where the setting
/// itself is not a list (or the values are lists of lists), that makes the setting a sweep axis:
/// `lr: [0.1, 0.01]`, `seed: "0..9"`, `hidden: [[16], [32, 32]]`. A string is also read as a
/// command-line flag's value would be (`lr: "1,0.2"`, `hidden: "16,16"`, `epochs: "5"`), so
/// recipes written with flag values mean what the flags mean.
public struct SettingsPatch: Equatable, Sendable {
    /// One setting's new value (or values), as written.
    public struct Entry: Equatable, Sendable {
        public let key: String
        public let value: JSONValue
    }

    /// One configuration of a patch: the settings, and the value of each swept key (first
    /// varying slowest: in the order the settings are declared, the seed last).
    public struct Run: Sendable {
        public let config: TrainingConfig
        public let sweep: [(key: String, value: JSONValue)]
    }

    /// In the order set; a key set again replaces its earlier value.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// A configuration file's (or stored config's) settings: a mapping of keys, with the data
    /// options in a mapping under `data`.
    public init(tree: JSONValue) throws {
        guard case .object(let top) = tree else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: [], debugDescription: "expected a mapping of settings"))
        }
        for key in top.keys.sorted() {
            if key == "data", case .object(let data) = top[key]! {
                for dataKey in data.keys.sorted() { set("data." + dataKey, data[dataKey]!) }
            } else {
                set(key, top[key]!)
            }
        }
    }

    /// Sets `key` to `value` (a list or range string may sweep, see above).
    public mutating func set(_ key: String, _ value: JSONValue) {
        entries.removeAll { $0.key == key }
        entries.append(Entry(key: key, value: value))
    }

    /// This patch, then `later` on top of it.
    public func merging(_ later: SettingsPatch) -> SettingsPatch {
        var merged = self
        for entry in later.entries { merged.set(entry.key, entry.value) }
        return merged
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The patch as a configuration file writes it: `{key: value, …, data: {key: value}}`.
    public var tree: JSONValue {
        var top: [String: JSONValue] = [:], data: [String: JSONValue] = [:]
        for entry in entries {
            if entry.key.hasPrefix("data.") { data[String(entry.key.dropFirst(5))] = entry.value } else { top[entry.key] = entry.value }
        }
        if !data.isEmpty { top["data"] = .object(data) }
        return .object(top)
    }

    /// Every configuration the patch describes on top of `base`: one, or the cross product of
    /// its sweep axes (nested as `Run.sweep` lists them, whatever order they were set in).
    /// Throws a `DecodingError` naming the key for an unknown key or a value the setting cannot take.
    public func runs(from base: TrainingConfig) throws -> [Run] {
        let (tree, axes) = try resolved(on: base)
        var runs = [(tree: tree, sweep: [(key: String, value: JSONValue)]())]
        for axis in axes {
            runs = try runs.flatMap { run in
                try axis.values.map { value in
                    (try Self.setting(axis.key, to: value, in: run.tree), run.sweep + [(axis.key, value)])
                }
            }
        }
        return try runs.map { Run(config: try TrainingConfig(settingsTree: $0.tree), sweep: $0.sweep) }
    }

    /// Checks every key and value on top of `base` without building the sweep's configurations.
    public func check(on base: TrainingConfig) throws {
        _ = try resolved(on: base)
    }

    /// `base` with the single-valued entries set, and the sweep axes (keys with two or more
    /// values, in nesting order), every value checked.
    private func resolved(on base: TrainingConfig) throws -> (tree: [String: JSONValue], axes: [(key: String, values: [JSONValue])]) {
        var tree = try base.settingsTree()
        if let unknown = entries.first(where: { !TrainingConfig.settingKeys.contains($0.key) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "unknown key '\(unknown.key)'; valid keys: \(TrainingConfig.settingKeys.sorted().joined(separator: ", "))"))
        }
        // The common case (a stored config, flags): every value as written, checked by one decode.
        let asWritten = entries.reduce(into: tree) { tree, entry in Self.put(entry.key, entry.value, into: &tree) }
        if (try? TrainingConfig(settingsTree: asWritten)) != nil { return (asWritten, []) }
        var axes: [(key: String, values: [JSONValue])] = []
        for entry in entries {
            let readings = Self.readings(of: entry.value)
            if let set = readings.lazy.compactMap({ try? Self.setting(entry.key, to: $0, in: tree) }).first {
                tree = set
                continue
            }
            // Not one value: a list or range of values (or else the error of the value as written).
            let values = readings.lazy.compactMap(Self.sweepValues).first ?? [entry.value]
            let checked = try values.map { value in
                do {
                    return Self.value(of: entry.key, in: try Self.setting(entry.key, to: value, in: tree))
                } catch let error as DecodingError {
                    throw Self.naming(entry.key, error)
                }
            }
            if checked.count == 1 { tree = try Self.setting(entry.key, to: checked[0], in: tree) } else { axes.append((entry.key, checked)) }
        }
        return (tree, axes.sorted { Self.nestingRank($0.key) < Self.nestingRank($1.key) })
    }

    /// The one configuration the patch describes on top of `base`; a sweep is an error naming its key.
    public func applied(to base: TrainingConfig) throws -> TrainingConfig {
        let (tree, axes) = try resolved(on: base)
        if let axis = axes.first {
            throw DecodingError.dataCorrupted(.init(codingPath: Self.codingPath(axis.key), debugDescription: "expected one value, not a list"))
        }
        return try TrainingConfig(settingsTree: tree)
    }
}
