import ArgumentParser
import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNModelAnalyses
import NNTasks
import NNTrain

/// `train` with one run: training, then its checkpoint, snapshots, dumps, figure and report.
extension Train {
    /// Trains one run (`source`: the model --init-from names, already read), writes its
    /// checkpoint, snapshots and dumps where --save says, and prints its report.
    func trainOne(_ settings: TrainingConfig, from source: LayerModel?) throws {
        // One BLAS thread: training GEMMs are small and OpenBLAS threads only add overhead
        // (measured in `make bench`); NNPROBE_BLAS_THREADS overrides.
        if ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"] == nil { BLASThreads.set(1) }
        let teacher = try settings.run.teacher.map { try Checkpoint.read(from: $0, training: false, convNets: true).layerModel }
        let trainer: Trainer
        var initial: LayerModel?
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
            if !noDump { try checkDumpFits(initial?.stack ?? trainer.architecture.stack(), rows: trainer.splits.test.count) }
            try SaveLocation.prepareFile(path)
            if !overwrite, let refusal = ExistingRun.at(path, requested: settings).refusal(for: path) { throw CommandFailure(refusal) }
        }
        let configJSON = try Checkpoint.storedConfig(settings)
        let bar = ProgressBar()
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
        for note in result.notes { printDiagnostic("nnprobe: \(note)") }
        var written: [String] = []
        if let path {
            try Checkpoint(run: settings, configJSON: configJSON, result: result).write(to: path)
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

    /// The test split's dump, and one `vary` dump per sub-task (image tasks have none). A conv
    /// net's image-shaped blocks keep their feature maps for the first --dump-rows rows.
    private func writeDumps(_ model: LayerModel, trainer: Trainer, checkpoint: String) throws -> [String] {
        let network = try model.mlp.map { LayerNetwork<Float>($0) } ?? LayerNetwork<Float>(model)
        var files: [String] = []
        let test = DumpBuilder.dataset(network, data: trainer.splits.test, split: .test, task: trainer.task.name, source: checkpoint,
                                       mapRows: dumpRows)
        let testPath = RunNaming.sibling(of: checkpoint, suffix: "acts-test")
        try test.write(to: testPath)
        files.append(testPath)
        for subtask in trainer.task.subtasks {
            let grid = ProbeGrid(task: trainer.task, subtask: subtask, gridSize: probeGrid, contexts: probeContexts,
                                 seed: trainer.config.seed)
            let dump = DumpBuilder.vary(network, grid: grid, task: trainer.task, targets: grid.targets(for: trainer.task), source: checkpoint,
                                        mapRows: dumpRows)
            let dumpPath = RunNaming.sibling(of: checkpoint, suffix: "acts-\(subtask.name)")
            try dump.write(to: dumpPath)
            files.append(dumpPath)
        }
        return files
    }

    /// Refuses, before training, a conv net's test dump that would not fit in memory (--dump-rows too large).
    private func checkDumpFits(_ stack: LayerStack, rows: Int) throws {
        guard stack.mlpShape == nil,
              let problem = MemoryBudget.problem(needing: DumpBuilder.bytes(of: stack, rows: rows, mapRows: dumpRows)) else { return }
        throw CommandFailure("--dump-rows \(dumpRows): the test dump of \(rows) rows \(problem); keep fewer rows' feature maps, or --no-dump")
    }
}
