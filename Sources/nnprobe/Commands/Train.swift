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
            stops, still writes its checkpoint with status "diverged", and exits with status 3.

            Sweeps: numeric flags take lists or ranges (--seeds 0..99 --lr 1,0.01 --depth 1,2 \
            --width 8,16); their cross product is trained in parallel, one run per process, into \
            the directory given by --save (default checkpoints/<task>/sweep-<name>): each run's \
            checkpoint, its config under configs/, and index.json. Re-running the same command \
            trains only the runs not yet complete. Sweeps write no activation dumps (use `nnprobe dump`).
            """)

    @Argument(help: "The task to train on (see the list above); may come from --config instead.")
    var task: String?

    @Option(help: "A YAML file of settings; flags given on the command line override it.")
    var config: String?

    @Option(name: [.customLong("seed"), .customLong("seeds")],
            help: "Seed of the one random generator behind data, initialisation, shuffling and dropout (default 0); a list or range (0..99) sweeps.")
    var seed: ValueList<Int>?

    @Option(help: "Sweeps: runs trained at once, one per process (default: the number of cores).")
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

    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if let seed, seed.values.contains(where: { $0 < 0 }) { throw ValidationError("--seed: seeds are non-negative integers") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): must be at least 1") }
        if let shard, Self.parseShard(shard) == nil { throw ValidationError("--shard \(shard): use K/N with 1 ≤ K ≤ N, e.g. 2/8") }
        if let saveEvery, saveEvery < 1 { throw ValidationError("--save-every \(saveEvery): must be at least 1") }
        if saveEvery != nil && save == nil { throw ValidationError("--save-every needs --save") }
        if probeGrid < 2 { throw ValidationError("--probe-grid \(probeGrid): need at least 2 points") }
        if probeContexts < 1 { throw ValidationError("--probe-contexts \(probeContexts): need at least 1 context") }
        if let problem = ProbeGridOptions.sizeProblem(grid: probeGrid, contexts: probeContexts) {
            throw ValidationError("--probe-grid \(probeGrid) --probe-contexts \(probeContexts): \(problem)")
        }
    }

    func run() throws {
        let (planned, sources) = try plannedRuns()
        if planned.count > 1 || shard != nil { return try runSweep(planned) }
        // One BLAS thread: training GEMMs are small and OpenBLAS threads only add overhead
        // (measured in `make bench`); NNPROBE_BLAS_THREADS overrides.
        if ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"] == nil { BLASThreads.set(1) }
        let settings = planned[0].config
        let source = settings.run.initFrom.flatMap { sources[$0] }
        let teacher = try settings.run.teacher.map { try Checkpoint.read(from: $0, training: false).model }
        let trainer: Trainer
        var initial: MLP?
        do {
            trainer = try Trainer(config: settings)
            if let source {
                let (model, notes) = try trainer.transferred(source)
                initial = model
                for note in notes { printDiagnostic("nnprobe: transfer: \(note)") }
            }
        } catch let error as TaskError { throw CommandFailure(error.description) }
        let path = save.map { target in
            switch target {
            case .defaultLocation: RunNaming.defaultPath(for: settings)
            case .path(let path): path
            }
        }
        if let path {
            try SaveLocation.prepareFile(path)
            if !overwrite, let refusal = ExistingRun.at(path, requested: settings).refusal(for: path) { throw CommandFailure(refusal) }
        }
        let configJSON = try encodeConfig(settings)
        let bar = ProgressBar(json: output.json)
        let totalSteps = trainer.stepsPerEpoch * settings.optimization.epochs
        let result: TrainingResult
        do {
            result = try trainer.run(initial: initial, frozen: Set(settings.run.freeze), teacher: teacher, progress: { p in
                bar.update(done: p.epoch * p.stepsPerEpoch + p.step, total: totalSteps,
                           detail: "epoch \(p.epoch + 1)/\(p.epochs)  loss \(formatNumber(p.trainLoss))  val \(formatNumber(p.valLoss))")
            }, epochEnd: { epoch, network, history in
                guard let path, let every = saveEvery, (epoch + 1) % every == 0 else { return }
                var snapshot = Checkpoint(task: settings.task, seed: Int64(bitPattern: settings.seed), config: configJSON,
                                          model: network.export(), history: history)
                snapshot.history.testLoss = .nan
                try snapshot.write(to: RunNaming.sibling(of: path, suffix: String(format: "epoch-%04d", epoch + 1)))
            })
        } catch let error as TaskError { throw CommandFailure(error.description) }
        bar.finish()
        var written: [String] = []
        if let path {
            let checkpoint = Checkpoint(
                task: settings.task, seed: Int64(bitPattern: settings.seed), config: configJSON, status: result.status,
                model: result.model, history: result.history, gradients: result.gradients, deadUnits: result.deadUnits)
            try checkpoint.write(to: path)
            written.append(path)
            if !noDump { written += try writeDumps(result.model, trainer: trainer, checkpoint: path) }
        }
        try figure.write(TrainingFigure.make([(settings.task, result.history)], title: "\(settings.task): \(RunNaming.name(for: settings))"))
        var report = TrainReport(config: settings, configJSON: configJSON, result: result, files: written)
        if let teacher {
            report.teacherParameterCount = teacher.parameterCount
            report.parameterReduction = Double(teacher.parameterCount) / Double(max(1, result.model.parameterCount))
        }
        if output.json { try printJSON(report) } else { print(report.text()) }
        if let divergence = result.divergence {
            printDiagnostic("nnprobe: run diverged: \(divergence); try a smaller --lr")
            throw ExitCode(3)
        }
    }

    private func writeDumps(_ model: MLP, trainer: Trainer, checkpoint: String) throws -> [String] {
        let network = Network<Float>(model)
        var files: [String] = []
        let test = DumpBuilder.dataset(network, data: trainer.splits.test, split: .test, task: trainer.task.name, source: checkpoint)
        let testPath = RunNaming.sibling(of: checkpoint, suffix: "acts-test")
        try test.write(to: testPath)
        files.append(testPath)
        for subtask in trainer.task.subtasks {
            let grid = ProbeGrid(task: trainer.task, subtask: subtask, gridSize: probeGrid, contexts: probeContexts,
                                 seed: trainer.config.seed)
            let dump = DumpBuilder.vary(network, grid: grid, task: trainer.task, targets: grid.targets(for: trainer.task), source: checkpoint)
            let dumpPath = RunNaming.sibling(of: checkpoint, suffix: "acts-\(subtask.name)")
            try dump.write(to: dumpPath)
            files.append(dumpPath)
        }
        return files
    }

    /// The config stored in checkpoints: compact, keys sorted (stored checkpoints are compared with it as text).
    private func encodeConfig(_ settings: TrainingConfig) throws -> String {
        try JSONOutput.encode(settings, pretty: false)
    }
}
