import ArgumentParser
import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNModelAnalyses
import NNTasks
import NNTrain

/// `nnprobe train TASK`: train one model, optionally save its checkpoint and activation dumps.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an MLP on a task and (with --save) write its checkpoint and activation dumps.",
        discussion: """
            Tasks: \(TaskRegistry.catalogue.map { "\($0.name) — \($0.summary)" }.joined(separator: "; ")).

            Settings come from the built-in defaults, then --config FILE.yaml (snake_case keys, \
            e.g. `batch_norm: true`, data options under `data:`, lists or ranges sweeping, e.g. \
            `seed: 0..4`), then the flags given here. The \
            same settings and seed give bit-identical weights. A run whose loss becomes NaN/Inf \
            (or whose epoch loss rises past 10⁶ × its first step's) \
            stops, still writes its checkpoint with status "diverged", and exits with status 3.

            Sweeps: numeric flags take lists or ranges (--seeds 0..99 --lr 1,0.01 --depth 1,2 \
            --width 8,16); their cross product is trained in parallel into the directory given by \
            --save (default checkpoints/<task>/sweep-<name>): each run's \
            checkpoint, its config under configs/, and index.json. Runs are handed out one at a time to one process per job, \
            each run saved as soon as it is done. \
            Re-running the same command trains only the runs not yet complete. Sweeps write no activation dumps (use `nnprobe dump`).
            """)

    @Argument(help: "The task to train on (see the list above); may come from --config instead.",
              completion: .list(TaskRegistry.names))
    var task: String?

    @Option(help: "A YAML file of settings; flags given on the command line override it.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var config: String?

    @Option(name: [.customLong("seed"), .customLong("seeds")], parsing: .unconditional,
            help: "Seed of the one random generator behind data, initialisation, shuffling and dropout (default 0); a list or range (0..99) sweeps.")
    var seed: ValueList<Int>?

    @Option(help: "Sweeps: processes training at once, each a batch of runs (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Sweeps: run only the K-th of N slices (K/N, 1-based), e.g. from a Slurm job array.")
    var shard: String?

    @OptionGroup(title: "Model and optimisation") var model: ModelOptions
    @OptionGroup(title: "Data") var data: DataOptions

    @Option(defaultAsFlag: SaveTarget.defaultLocation, parsing: .next,
            help: "Write the checkpoint, and activation dumps beside it, here or (--save alone) in the default place.")
    var save: SaveTarget?

    @Option(help: "Also write a checkpoint every N epochs (NAME.epoch-0005.h5), for timelines.")
    var saveEvery: Int?

    @Flag(help: "With --save, skip the activation dumps.")
    var noDump = false

    @Flag(help: "Replace checkpoints at the --save path that were trained with other settings (refused otherwise).")
    var overwrite = false

    @Option(help: "Probe grid points per varied input in the per-task dumps (default 21).")
    var probeGrid = 21

    @Option(help: "Held contexts in the per-task dumps (default 5).")
    var probeContexts = 5

    @Option(help: "Conv nets: rows whose whole feature maps the dump keeps (default 512; pooled channels are kept for every row).")
    var dumpRows = DumpBuilder.defaultMapRows

    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if let seed, seed.values.contains(where: { $0 < 0 }) { throw ValidationError("--seed: seeds are non-negative integers") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): must be at least 1") }
        if let shard, Self.parseShard(shard) == nil { throw ValidationError("--shard \(shard): use K/N with 1 ≤ K ≤ N, e.g. 2/8") }
        if let saveEvery, saveEvery < 1 { throw ValidationError("--save-every \(saveEvery): must be at least 1") }
        if saveEvery != nil && save == nil { throw ValidationError("--save-every needs --save") }
        if probeGrid < 2 { throw ValidationError("--probe-grid \(probeGrid): need at least 2 points") }
        if dumpRows < 0 { throw ValidationError("--dump-rows \(dumpRows): must be 0 or more") }
        if probeContexts < 1 { throw ValidationError("--probe-contexts \(probeContexts): need at least 1 context") }
        if let problem = ProbeGridOptions.sizeProblem(grid: probeGrid, contexts: probeContexts) {
            throw ValidationError("--probe-grid \(probeGrid) --probe-contexts \(probeContexts): \(problem)")
        }
    }

    func run() throws {
        let (planned, sources) = try plannedRuns()
        if planned.count > 1 || shard != nil { return try runSweep(planned) }
        let settings = planned[0].config
        try trainOne(settings, from: settings.run.initFrom.flatMap { sources[$0] })
    }
}
