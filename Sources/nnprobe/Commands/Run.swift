import ArgumentParser
import Foundation
import Yams

/// `nnprobe run RECIPE.yaml`: a study as written in a file — sweeps, then analyses of them.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment file: its training sweeps, then its analyses, saving every output.",
        discussion: """
            The file has a `name`, an optional `description`, and `steps`, each either \
            `train: {flag: value, …}` with `as: NAME` (the flags of `nnprobe train`; lists sweep; \
            true/false give --flag/--no-flag) — trained into OUT/NAME, resumable — or \
            `nnprobe: "subcommand args…"`, where {out} is the output directory, {NAME} a sweep's \
            directory, {NAME.first} and {NAME.last} its first and last checkpoints (also usable in train \
            values); its stdout is saved to OUT/step-N.txt. --quick runs every sweep at a reduced \
            size (2 seeds, 3 epochs, 2,000 training rows) to check a recipe end to end.
            """)

    @Argument(help: "The experiment file (YAML).")
    var file: String
    @Option(help: "Output directory (default analyses/results/<name>).")
    var out: String?
    @Flag(help: "Reduced size: seeds 0..1, 3 epochs, 2,000 training rows per sweep.")
    var quick = false
    @Option(name: .customLong("set"), help: "Override a train flag in every sweep, e.g. --set epochs=5 (repeatable).")
    var overrides: [String] = []

    struct Step {
        var train: [(String, String)]?
        var name: String?
        var command: String?
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure("\(file): no such file") }
        let document: Any?
        do { document = try Yams.load(yaml: text) } catch {
            throw CommandFailure("\(file): malformed YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let recipe = document as? [String: Any], let name = recipe["name"] as? String, let rawSteps = recipe["steps"] as? [Any] else {
            throw CommandFailure("\(file): an experiment file needs `name` and a list of `steps`")
        }
        let steps = try rawSteps.enumerated().map { try parseStep($0.element, number: $0.offset + 1) }
        let output = out ?? "analyses/results/\(name)"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var placeholders = ["out": output]
        for step in steps { if let name = step.name { placeholders[name] = "\(output)/\(name)" } }
        /// {NAME} → the sweep directory; {NAME.first} / {NAME.last} → its first / last checkpoint (natural order).
        func substitute(_ text: String) throws -> String {
            var result = text
            for (key, value) in placeholders {
                for (suffix, pick) in [("first", { (c: [String]) in c.first! }), ("last", { (c: [String]) in c.last! })]
                where result.contains("{\(key).\(suffix)}") {
                    result = result.replacingOccurrences(of: "{\(key).\(suffix)}", with: pick(try CheckpointInputs.checkpoints(in: value)))
                }
                result = result.replacingOccurrences(of: "{\(key)}", with: value)
            }
            return result
        }
        for (i, step) in steps.enumerated() {
            var arguments: [String]
            if let train = step.train {
                var flags = Dictionary(try train.map { ($0.0, try substitute($0.1)) }, uniquingKeysWith: { $1 })
                if quick { for (key, value) in [("seeds", "0..1"), ("epochs", "3"), ("train-size", "2000")] { flags[key] = value } }
                for assignment in overrides {
                    let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw CommandFailure("--set \(assignment): use flag=value") }
                    flags[parts[0]] = parts[1]
                }
                if flags["seed"] != nil && flags["seeds"] != nil { flags["seed"] = nil }
                arguments = ["train"] + flags.keys.sorted().flatMap { key -> [String] in
                    switch flags[key]! {
                    case "true": return ["--\(key)"]
                    case "false": return ["--no-\(key)"]
                    case let value where key == "task": return [value]
                    case let value: return ["--\(key)=\(value)"]
                    }
                } + ["--save", placeholders[step.name!]!, "--shard", "1/1"]
            } else {
                arguments = try substitute(step.command!).split(separator: " ").map(String.init)
            }
            printDiagnostic("nnprobe: step \(i + 1)/\(steps.count): nnprobe \(arguments.joined(separator: " "))")
            let process = ChildProcess.make(arguments)
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try writeAtomically(String(decoding: data, as: UTF8.self), to: "\(output)/step-\(i + 1).txt")
            FileHandle.standardOutput.write(data)
            guard process.terminationStatus == 0 else {
                throw CommandFailure("\(file): step \(i + 1) (nnprobe \(arguments.first ?? "")) failed with status \(process.terminationStatus)")
            }
        }
        print("\(name): \(steps.count) steps done; outputs in \(output)")
    }

    private func parseStep(_ raw: Any, number: Int) throws -> Step {
        guard let step = raw as? [String: Any] else { throw CommandFailure("\(file): step \(number) is not a mapping") }
        if let command = step["nnprobe"] as? String { return Step(train: nil, name: nil, command: command) }
        guard let train = step["train"] as? [String: Any], let name = step["as"] as? String else {
            throw CommandFailure("\(file): step \(number) needs `train:` with `as:`, or `nnprobe:`")
        }
        let flags = train.map { key, value -> (String, String) in
            switch value {
            case let list as [Any]: return (key, list.map { "\($0)" }.joined(separator: ","))
            case let flag as Bool: return (key, flag ? "true" : "false")
            default: return (key, "\(value)")
            }
        }
        return Step(train: flags, name: name, command: nil)
    }
}
