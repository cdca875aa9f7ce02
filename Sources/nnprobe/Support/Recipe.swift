import Foundation
import NNTasks
import Yams

/// An experiment file for `nnprobe run`: a name and steps, each a training sweep or a command.
struct Recipe {
    enum Step {
        /// `train: {key: value, …}` trained into the sweep directory `as: NAME`; keys in file order.
        case train(name: String, values: [(key: String, value: JSONValue)])
        /// `nnprobe: "subcommand args…"`, split into words (quotes group words) before placeholders are filled.
        case command([String])
    }

    let name: String
    let steps: [Step]

    /// Reads and checks `path`; errors name the file and the step.
    static func load(_ path: String) throws -> Recipe {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandFailure("\(path): no such file") }
        if let problem = YAMLLimits.problem(in: text) { throw CommandFailure("\(path): \(problem)") }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw CommandFailure("\(path): malformed YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let top = node?.mapping, let name = top["name"]?.string, let steps = top["steps"]?.sequence else {
            throw CommandFailure("\(path): an experiment file needs `name` and a list of `steps`")
        }
        return Recipe(name: name, steps: try steps.enumerated().map { number, step in
            guard let step = step.mapping else { throw CommandFailure("\(path): step \(number + 1) is not a mapping") }
            if let command = step["nnprobe"]?.string {
                guard let words = Self.words(command) else { throw CommandFailure("\(path): step \(number + 1): unbalanced quotes") }
                return .command(words)
            }
            guard let train = step["train"]?.mapping, let sweep = step["as"]?.string else {
                throw CommandFailure("\(path): step \(number + 1) needs `train:` with `as:`, or `nnprobe:`")
            }
            return .train(name: sweep, values: try train.map { key, value in
                guard let key = key.string else { throw CommandFailure("\(path): step \(number + 1): a key is not a string") }
                return (key, try YAMLDecoder().decode(JSONValue.self, from: Yams.serialize(node: value)))
            })
        })
    }

    /// `a "b c" d` → a, b c, d: words split at spaces, quotes ('…' or "…") grouping; nil when a quote is left open.
    static func words(_ command: String) -> [String]? {
        var words: [String] = [], word = "", quote: Character?, inWord = false
        for c in command {
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        guard quote == nil else { return nil }
        if inWord { words.append(word) }
        return words
    }

    /// {out}, {NAME}, {NAME.first} and {NAME.last} of a recipe run.
    struct Placeholders {
        let output: String
        /// Each sweep's directory by its `as:` name.
        var sweeps: [String: String] = [:]

        init(output: String) { self.output = output }

        /// `text` with every placeholder filled: {NAME.first} / {NAME.last} are the sweep's first
        /// and last checkpoints (natural order), which must exist by then.
        func substitute(_ text: String) throws -> String {
            var result = text.replacingOccurrences(of: "{out}", with: output)
            for (name, directory) in sweeps {
                for (suffix, pick) in [("first", { (c: [String]) in c.first! }), ("last", { (c: [String]) in c.last! })]
                where result.contains("{\(name).\(suffix)}") {
                    result = result.replacingOccurrences(of: "{\(name).\(suffix)}", with: pick(try CheckpointInputs.checkpoints(in: directory)))
                }
                result = result.replacingOccurrences(of: "{\(name)}", with: directory)
            }
            return result
        }

        /// The value with placeholders filled in its strings.
        func substitute(in value: JSONValue) throws -> JSONValue {
            switch value {
            case .string(let text): .string(try substitute(text))
            case .array(let values): .array(try values.map(substitute(in:)))
            case .object(let members): .object(try members.mapValues(substitute(in:)))
            default: value
            }
        }
    }
}

extension JSONValue {
    /// The value as a command-line flag takes it: `0.1`, `16`, `relu`.
    var flagText: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .number(let n): String(n)
        case .bool(let b): String(b)
        case .array(let a): a.map(\.flagText).joined(separator: ",")
        default: jsonText
        }
    }
}
