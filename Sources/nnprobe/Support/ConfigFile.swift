import Foundation
import NNTasks
import NNTrain
import Yams

/// Reads the settings of a YAML (or JSON) configuration file: snake_case keys as stored in
/// checkpoints (`batch_norm: true`), data options under `data:`, lists or ranges (`seed: 0..9`)
/// sweeping. Errors name the file and the key.
enum ConfigFile {
    /// `checked`: also check every key and value now (`run` leaves that to building the run).
    static func settings(_ path: String, checked: Bool = true) throws -> SettingsPatch {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): no such file") }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("\(path): not UTF-8 text") }
        if let problem = YAMLLimits.problem(in: text) { throw CommandFailure("\(path): \(problem)") }
        do {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return SettingsPatch() }
            let patch = try SettingsPatch(tree: try tree(of: text, data: data))
            if checked { try patch.check(on: TrainingConfig()) }
            return patch
        } catch let error as DecodingError {
            throw CommandFailure("\(path): \(describe(error))")
        } catch let error as YamlError {
            throw CommandFailure("\(path): malformed YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }

    /// The settings tree of a file's `text`: a JSON object (a sweep's configs, written by
    /// `JSONOutput`) read as JSON, which is what YAML reads it as, at a fraction of the cost;
    /// anything else, or JSON that does not parse, as YAML.
    private static func tree(of text: String, data: Data) throws -> JSONValue {
        if text.first == "{", let tree = try? JSONDecoder().decode(JSONValue.self, from: data) { return tree }
        return try YAMLDecoder().decode(JSONValue.self, from: text)
    }

    /// The one run a file describes (a sweep's `DIR/configs/NAME.json`); a file that sweeps is refused.
    static func run(_ path: String) throws -> TrainingConfig {
        let runs: [SettingsPatch.Run]
        do { runs = try settings(path, checked: false).runs(from: TrainingConfig()) } catch let error as DecodingError {
            throw CommandFailure("\(path): \(describe(error))")
        }
        guard runs.count == 1 else { throw CommandFailure("\(path): describes \(runs.count) runs; give one run's settings") }
        return runs[0].config
    }

    /// One line for a decoding error: the key path and what was wrong.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "top level" : "'" + keys.map(\.stringValue).joined(separator: ".") + "'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            // Yams reports a scalar that does not parse as the wanted type this way too.
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .keyNotFound(let key, _):
            return "missing key '\(key.stringValue)'"
        case .dataCorrupted(let context) where context.underlyingError is YamlError:
            return "malformed YAML: \(String(describing: context.underlyingError!).split(separator: "\n").first ?? "")"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? context.debugDescription : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }
}
