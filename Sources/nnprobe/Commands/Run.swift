import ArgumentParser
import Foundation
import NNTasks
import NNTrain
import Yams

/// `nnprobe run RECIPE.yaml`: a study as written in a file — sweeps, then analyses of them.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment file: its training sweeps, then its analyses, saving every output.",
        discussion: """
            The file has a `name`, an optional `description`, and `steps`, each either \
            `train: {setting: value, …}` with `as: NAME` — settings as in `train --config` files \
            (`batch_norm: true`, `data: {classes: 3}`, `config: FILE` for a whole file of them) or \
            as train's flags (`batch-norm: true`, \
            `classes: 3`, `lr: "1,0.1"`), lists and ranges (`seeds: "0..4"`) sweeping, other train \
            flags (`depth`, `width`, `jobs`) passed on — trained into OUT/NAME, resumable; or \
            `nnprobe: "subcommand args…"`, where {out} is the output directory, {NAME} a sweep's \
            directory, {NAME.first} and {NAME.last} its first and last checkpoints (also usable in train \
            values); its stdout is saved to OUT/step-N.txt, a train step's settings to \
            OUT/step-N.settings.json. --quick runs every sweep at a reduced size (2 seeds, 3 epochs, \
            2,000 training rows) to check a recipe end to end.
            """)

    @Argument(help: "The experiment file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var file: String
    @Option(help: "Output directory (default analyses/results/<name>).", completion: .directory)
    var out: String?
    @Flag(help: "Reduced size: seeds 0..1, 3 epochs, 2,000 training rows per sweep.")
    var quick = false
    @Option(name: .customLong("set"), help: "Override a train setting in every sweep, e.g. --set epochs=5 (repeatable).")
    var overrides: [String] = []

    func validate() throws {
        if let bad = overrides.first(where: { !$0.contains("=") }) { throw ValidationError("--set \(bad): use setting=value") }
    }

    /// The recipes running this one, outermost first (absolute paths, one per line), so that a
    /// recipe that runs itself, directly or through others, is refused instead of recursing.
    static let chainKey = "NNPROBE_RECIPE_CHAIN"

    func run() throws {
        let me = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath().path
        let chain = ProcessInfo.processInfo.environment[Self.chainKey].map { $0.split(separator: "\n").map(String.init) } ?? []
        if chain.contains(me) {
            throw CommandFailure("\(file): runs itself (\((chain + [me]).joined(separator: " → "))); a recipe must not run a recipe that runs it")
        }
        let recipe = try Recipe.load(file)
        let output = out ?? "analyses/results/\(recipe.name)"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var placeholders = Recipe.Placeholders(output: output)
        for case .train(let name, _) in recipe.steps { placeholders.sweeps[name] = "\(output)/\(name)" }
        for (i, step) in recipe.steps.enumerated() {
            let arguments: [String]
            switch step {
            case .train(let name, let values):
                arguments = try trainArguments(values, into: placeholders.sweeps[name]!, placeholders: placeholders,
                                               settingsFile: "\(output)/step-\(i + 1).settings.json")
            case .command(let words):
                arguments = try words.map(placeholders.substitute)
            }
            printDiagnostic("nnprobe: step \(i + 1)/\(recipe.steps.count): nnprobe \(arguments.joined(separator: " "))")
            let process = ChildProcess.make(arguments, environment: [Self.chainKey: (chain + [me]).joined(separator: "\n")])
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
        print("\(recipe.name): \(recipe.steps.count) steps done; outputs in \(output)")
    }

    /// `train` arguments for a step: its settings (with --quick and --set applied, placeholders
    /// filled) written to `settingsFile` as a config, its other flags passed on.
    private func trainArguments(_ values: [(key: String, value: JSONValue)], into directory: String,
                                placeholders: Recipe.Placeholders, settingsFile: String) throws -> [String] {
        var given = try values.map { ($0.key, try placeholders.substitute(in: $0.value)) }
        if quick { given += [("seeds", .string("0..1")), ("epochs", .integer(3)), ("train-size", .integer(2000))] }
        for assignment in overrides {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            given.append((parts[0], .string(parts[1])))
        }
        let (patch, flags) = try Self.stepSettings(given, file: file, sweep: directory)
        try writeAtomically(try JSONOutput.encode(patch.tree), to: settingsFile)
        return ["train", "--config", settingsFile] + flags + ["--save", directory, "--shard", "1/1"]
    }

    /// A train step's values as settings (config keys or train's flag names; a `config:` file
    /// first, the step's own settings over it), checked, and its other flags as arguments.
    static func stepSettings(_ given: [(key: String, value: JSONValue)], file: String, sweep: String) throws -> (SettingsPatch, [String]) {
        var settings: [String: JSONValue] = [:], flags: [String] = []
        for (key, value) in given where key == "config" {
            guard case .string(let path) = value else { throw CommandFailure("\(file): sweep \(sweep): config must be a file name") }
            for entry in try ConfigFile.settings(path).entries { settings[entry.key] = entry.value }
        }
        for (key, value) in given where key != "config" {
            if key == "data", case .object(let data) = value {
                for (dataKey, dataValue) in data { settings["data." + dataKey] = dataValue }
            } else if let setting = TrainingConfig.settingKeys.contains(key) ? key : SettingFlags.key(forFlag: key) {
                settings[setting] = value
            } else {
                switch value {
                case .bool(let on): flags.append(on ? "--\(key)" : "--no-\(key)")
                case .array(let list): flags.append("--\(key)=" + list.map(\.flagText).joined(separator: ","))
                default: flags.append("--\(key)=\(value.flagText)")
                }
            }
        }
        var patch = SettingsPatch()
        for key in settings.keys.sorted() { patch.set(key, settings[key]!) }
        do { try patch.check(on: TrainingConfig()) } catch let error as DecodingError {
            throw CommandFailure("\(file): sweep \(sweep): \(ConfigFile.describe(error))")
        }
        return (patch, flags)
    }
}
