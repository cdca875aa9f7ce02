import ArgumentParser
import NNCheckpoint
import NNModel
import NNTasks

/// `nnprobe dump`: write an activation dump for any checkpoint.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an activation dump (docs/checkpoint-format.md) of a checkpoint on a split or a task's probe grid.",
        discussion: "The checkpoint's task data is rebuilt from its stored config and seed, so the splits are the ones it was trained and tested on.")

    @Argument(help: "The checkpoint (default: the newest under checkpoints/).")
    var file: String?
    @Option(help: "Sweep this sub-task's inputs on a grid, the others held (task0, task1, …).")
    var vary: String?
    @Option(help: "Dump a whole split instead: test, val or train (default test).")
    var dataset: String?
    @OptionGroup(title: "Probe grid (with --vary)") var probe: ProbeGridOptions
    @Option(help: "Output file (default: beside the checkpoint, NAME.acts-<probe>.h5).")
    var out: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if vary != nil && dataset != nil { throw ValidationError("give --vary or --dataset, not both") }
        if let dataset, !["test", "val", "train"].contains(dataset) { throw ValidationError("--dataset \(dataset): use test, val or train") }
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
        let checkpoint = try Checkpoint.read(from: path)
        let context = try CheckpointTask(checkpoint, file: path)
        let network = Network<Float>(checkpoint.model)
        let dump: ActivationDump
        let label: String
        if let vary {
            let grid = ProbeGrid(task: context.task, subtask: try context.subtask(vary, file: path), gridSize: probe.grid,
                                 contexts: probe.contexts, seed: context.config.seed)
            dump = DumpBuilder.vary(network, grid: grid, task: context.task, targets: grid.targets(for: context.task), source: path)
            label = vary
        } else {
            let split = dataset ?? "test"
            let data = split == "test" ? context.splits.test : split == "val" ? context.splits.validation : context.splits.train
            dump = DumpBuilder.dataset(network, data: data, split: split, task: context.task.name, source: path)
            label = split
        }
        let target = out ?? RunNaming.sibling(of: path, suffix: "acts-\(label)")
        try dump.write(to: target)
        let report = Report(file: target, checkpoint: path, probe: vary.map { "vary:\($0)" } ?? "dataset:\(label)", nSamples: dump.rowCount)
        if output.json { try printJSON(report) } else { print("wrote \(target) (\(dump.rowCount) rows, \(dump.layers.count) layers)") }
    }
}
