import Foundation
import NNTasks

/// How a patch reads its values: the readings of a value, sweeps, and setting one key of the
/// stored tree (checked by decoding the configuration).
extension SettingsPatch {
    /// Where a sweep axis nests: in the order the settings are declared, but the seed innermost.
    static func nestingRank(_ key: String) -> Int {
        key == "seed" ? Int.max : TrainingConfig.settingKeys.firstIndex(of: key) ?? Int.max - 1
    }

    /// `tree` with `key` set to `value`, checked by decoding the whole configuration. A number
    /// or boolean where the setting is a string (YAML's `label_column: 3`) is taken as its text.
    static func setting(_ key: String, to value: JSONValue, in tree: [String: JSONValue]) throws -> [String: JSONValue] {
        do {
            return try setting(key, exactly: value, in: tree)
        } catch DecodingError.typeMismatch(let type, let context) where type == String.self {
            switch value {
            case .integer, .number, .bool: return try setting(key, exactly: .string(value.jsonText), in: tree)
            default: throw DecodingError.typeMismatch(type, context)
            }
        }
    }

    static func setting(_ key: String, exactly value: JSONValue, in tree: [String: JSONValue]) throws -> [String: JSONValue] {
        var tree = tree
        put(key, value, into: &tree)
        _ = try TrainingConfig(settingsTree: tree)
        return tree
    }

    /// `tree` with `key` (`lr`, `data.classes`) set to `value`, unchecked.
    static func put(_ key: String, _ value: JSONValue, into tree: inout [String: JSONValue]) {
        guard key.hasPrefix("data.") else { tree[key] = value; return }
        guard case .object(var data) = tree["data"] ?? .object([:]) else { return }
        data[String(key.dropFirst(5))] = value
        tree["data"] = .object(data)
    }

    /// The value `tree` holds for `key`.
    static func value(of key: String, in tree: [String: JSONValue]) -> JSONValue {
        guard key.hasPrefix("data.") else { return tree[key] ?? .null }
        guard case .object(let data) = tree["data"] ?? .null else { return .null }
        return data[String(key.dropFirst(5))] ?? .null
    }

    /// The values of a list, or of an integer range `"lo..hi"` (inclusive, at most a million;
    /// ranges in a list are expanded too).
    static func sweepValues(_ value: JSONValue) -> [JSONValue]? {
        switch value {
        case .array(let values) where !values.isEmpty:
            return values.flatMap { element -> [JSONValue] in
                if case .string = element, let range = sweepValues(element) { return range }
                return [element]
            }
        case .string(let text):
            let bounds = text.components(separatedBy: "..")
            guard bounds.count == 2, let lo = Int(bounds[0].trimmingCharacters(in: .whitespaces)),
                  let hi = Int(bounds[1].trimmingCharacters(in: .whitespaces)), lo <= hi,
                  case let (span, overflow) = hi.subtractingReportingOverflow(lo), !overflow, span < 1_000_000 else { return nil }
            return (lo...hi).map { .integer($0) }
        default:
            return nil
        }
    }

    /// The ways a value may be meant, in the order tried: as written; a string as a flag's value
    /// (below); a single value as a list of one (`hidden: 16`, as `--hidden 16` means).
    static func readings(of value: JSONValue) -> [JSONValue] {
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
    static func naming(_ key: String, _ error: DecodingError) -> DecodingError {
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

    static func codingPath(_ key: String) -> [CodingKey] {
        key.split(separator: ".").map { SettingKey.AnyKey(String($0)) }
    }
}
