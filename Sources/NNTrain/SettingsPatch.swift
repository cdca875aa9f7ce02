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
    /// its sweep axes (nested as `Run.sweep` lists them, whatever order they were set in). Throws a `DecodingError` naming the key for an unknown key or a value
    /// the setting cannot take.
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
        var axes: [(key: String, values: [JSONValue])] = []
        for entry in entries {
            guard TrainingConfig.settingKeys.contains(entry.key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                    "unknown key '\(entry.key)'; valid keys: \(TrainingConfig.settingKeys.sorted().joined(separator: ", "))"))
            }
            let readings = Self.readings(of: entry.value)
            if let set = readings.lazy.compactMap({ try? Self.setting(entry.key, to: $0, in: tree) }).first {
                tree = set
                continue
            }
            guard let values = readings.lazy.compactMap(Self.sweepValues).first else {
                do { _ = try Self.setting(entry.key, to: entry.value, in: tree) } catch let error as DecodingError { throw Self.naming(entry.key, error) }
                continue
            }
            var checked: [JSONValue] = []
            for value in values {
                do {
                    checked.append(Self.value(of: entry.key, in: try Self.setting(entry.key, to: value, in: tree)))
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
        let runs = try runs(from: base)
        if runs.count != 1, let key = runs[0].sweep.first?.key {
            throw DecodingError.dataCorrupted(.init(codingPath: Self.codingPath(key), debugDescription: "expected one value, not a list"))
        }
        return runs[0].config
    }

    /// Where a sweep axis nests: in the order the settings are declared, but the seed innermost.
    private static func nestingRank(_ key: String) -> Int {
        key == "seed" ? Int.max : TrainingConfig.settingKeys.firstIndex(of: key) ?? Int.max - 1
    }

    /// `tree` with `key` set to `value`, checked by decoding the whole configuration. A number
    /// or boolean where the setting is a string (YAML's `label_column: 3`) is taken as its text.
    private static func setting(_ key: String, to value: JSONValue, in tree: [String: JSONValue]) throws -> [String: JSONValue] {
        do {
            return try setting(key, exactly: value, in: tree)
        } catch DecodingError.typeMismatch(let type, let context) where type == String.self {
            switch value {
            case .integer, .number, .bool: return try setting(key, exactly: .string(value.jsonText), in: tree)
            default: throw DecodingError.typeMismatch(type, context)
            }
        }
    }

    private static func setting(_ key: String, exactly value: JSONValue, in tree: [String: JSONValue]) throws -> [String: JSONValue] {
        var tree = tree
        if key.hasPrefix("data.") {
            guard case .object(var data) = tree["data"] ?? .object([:]) else { return tree }
            data[String(key.dropFirst(5))] = value
            tree["data"] = .object(data)
        } else {
            tree[key] = value
        }
        _ = try TrainingConfig(settingsTree: tree)
        return tree
    }

    /// The value `tree` holds for `key`.
    private static func value(of key: String, in tree: [String: JSONValue]) -> JSONValue {
        guard key.hasPrefix("data.") else { return tree[key] ?? .null }
        guard case .object(let data) = tree["data"] ?? .null else { return .null }
        return data[String(key.dropFirst(5))] ?? .null
    }

    /// The values of a list, or of an integer range `"lo..hi"` (inclusive, at most a million;
    /// ranges in a list are expanded too).
    private static func sweepValues(_ value: JSONValue) -> [JSONValue]? {
        switch value {
        case .array(let values) where !values.isEmpty:
            return values.flatMap { element -> [JSONValue] in
                if case .string = element, let range = sweepValues(element) { return range }
                return [element]
            }
        case .string(let text):
            let bounds = text.components(separatedBy: "..")
            guard bounds.count == 2, let lo = Int(bounds[0].trimmingCharacters(in: .whitespaces)),
                  let hi = Int(bounds[1].trimmingCharacters(in: .whitespaces)), lo <= hi, hi - lo < 1_000_000 else { return nil }
            return (lo...hi).map { .integer($0) }
        default:
            return nil
        }
    }

    /// The ways a value may be meant, in the order tried: as written; a string as a flag's value
    /// (below); a single value as a list of one (`hidden: 16`, as `--hidden 16` means).
    private static func readings(of value: JSONValue) -> [JSONValue] {
        let read = flagTextReading(value) ?? value
        var readings = read == value ? [value] : [value, read]
        if case .array = read {} else { readings.append(.array([read])) }
        return readings
    }

    /// A string read as a command-line flag value is read: `"5"` a number, `"true"` a boolean,
    /// `"16,16"` or `"1,0.2"` a list of them (`"0..4"` stays a range); nil when that reads the same.
    static func flagTextReading(_ value: JSONValue) -> JSONValue? {
        guard case .string(let text) = value else { return nil }
        func scalar(_ part: String) -> JSONValue {
            let part = part.trimmingCharacters(in: .whitespaces)
            if let i = Int(part) { return .integer(i) }
            if let d = Double(part) { return .number(d) }
            if part == "true" || part == "false" { return .bool(part == "true") }
            return .string(part)
        }
        let read = text.contains(",") ? .array(text.split(separator: ",").map { scalar(String($0)) }) : scalar(text)
        return read == value ? nil : read
    }

    /// The decoding error, with the coding path of `key` (`data.classes` → data, classes).
    private static func naming(_ key: String, _ error: DecodingError) -> DecodingError {
        switch error {
        case .typeMismatch(let type, let context):
            return .typeMismatch(type, .init(codingPath: codingPath(key), debugDescription: context.debugDescription))
        case .valueNotFound(let type, let context):
            return .valueNotFound(type, .init(codingPath: codingPath(key), debugDescription: context.debugDescription))
        case .dataCorrupted(let context):
            return .dataCorrupted(.init(codingPath: codingPath(key), debugDescription: context.debugDescription))
        default:
            return error
        }
    }

    private static func codingPath(_ key: String) -> [CodingKey] {
        key.split(separator: ".").map { SettingKey.AnyKey(String($0)) }
    }
}
