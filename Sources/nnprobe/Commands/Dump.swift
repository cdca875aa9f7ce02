import ArgumentParser
import NNCheckpoint
import NNModel
import NNModelAnalyses
import NNTasks

/// `nnprobe dump`: write an activation dump for any checkpoint.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an activation dump (docs/checkpoint-format.md) of a checkpoint on a split or a task's probe grid.",
        discussion: "The checkpoint's task data is rebuilt from its stored config and seed, so the splits are the ones it was trained and tested on.")

    @Argument(help: "The checkpoint (default: the newest under checkpoints/).", completion: .file(extensions: ["h5"]))
    var file: String?
    @Option(help: "Sweep this sub-task's inputs on a grid, the others held (task0, task1, …).")
    var vary: String?
    @Option(help: "Dump a whole split instead (default test).")
    var dataset: Split?
    @OptionGroup(title: "Probe grid (with --vary)") var probe: ProbeGridOptions
    @Option(help: "Conv nets: rows whose whole feature maps the dump keeps (default 512; pooled channels are kept for every row).")
    var dumpRows = DumpBuilder.defaultMapRows
    @Option(help: "Output file (default: beside the checkpoint, NAME.acts-<probe>.h5).", completion: .file(extensions: ["h5"]))
    var out: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if vary != nil && dataset != nil { throw ValidationError("give --vary or --dataset, not both") }
        if dumpRows < 0 { throw ValidationError("--dump-rows \(dumpRows): must be 0 or more") }
    }

    struct Report: Encodable {
        let schema = "nnprobe.dump/1"
        let file: String
        let checkpoint: String
        let probe: String
        let nSamples: Int
        enum CodingKeys: String, CodingKey { case schema, file, checkpoint, probe; case nSamples = "n_samples" }
    }

    func run() throws {
        let path = try file ?? CheckpointInputs.defaultCheckpoint()
        let checkpoint = try Checkpoint.read(from: path, convNets: true)
        let dump = try AnalysisFlags.naming(path) { try build(checkpoint, task: CheckpointTask(checkpoint), source: path) }
        let label = vary ?? dump.probe.dataset
        let target = out ?? RunNaming.sibling(of: path, suffix: "acts-\(label)")
        try dump.write(to: target)
        let report = Report(file: target, checkpoint: path, probe: vary.map { "vary:\($0)" } ?? "dataset:\(label)", nSamples: dump.rowCount)
        if output.json { try printJSON(report) } else { print("wrote \(target) (\(dump.rowCount) rows, \(dump.layers.count) layers)") }
    }

    /// The dump of `checkpoint` on the probe the flags ask for.
    private func build(_ checkpoint: Checkpoint, task context: CheckpointTask, source: String) throws -> ActivationDump {
        let network = try checkpoint.layers.map { try LayerNetwork<Float>($0) } ?? LayerNetwork<Float>(checkpoint.model)
        guard let vary else {
            let split = dataset ?? .test
            let data = split.rows(of: context.splits)
            if checkpoint.isLayerStack, let problem = MemoryBudget.problem(needing: DumpBuilder.bytes(of: network.stack, rows: data.count, mapRows: dumpRows)) {
                throw CommandFailure("--dump-rows \(dumpRows): the dump of \(data.count) rows \(problem); keep fewer rows' feature maps")
            }
            return DumpBuilder.dataset(network, data: data, split: split, task: context.task.name, source: source, mapRows: dumpRows)
        }
        let grid = ProbeGrid(task: context.task, subtask: try context.subtask(named: vary), gridSize: probe.grid,
                             contexts: probe.contexts, seed: context.seed)
        return DumpBuilder.vary(network, grid: grid, task: context.task, targets: grid.targets(for: context.task), source: source,
                                mapRows: dumpRows)
    }
}

extension Split: ExpressibleByArgument {
    /// `test`, `val` or `train`.
    public init?(argument: String) { self.init(rawValue: argument) }
}
