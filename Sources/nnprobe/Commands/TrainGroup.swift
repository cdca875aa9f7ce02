import ArgumentParser
import Foundation
import NNCheckpoint
import NNLinalg
import NNTasks
import NNTrain

/// `nnprobe train-group` (hidden): a sweep's child process. Trains a batch of runs one after
/// another in one process (`TrainingBatch`) and writes each run's checkpoint, the same bytes `train --save --no-dump`
/// writes, as soon as that run is done, then prints a line of the checkpoint's path, a tab, and
/// the figures the sweep's index lists (`RunMetrics` as JSON): the sweep's progress, and its index
/// without reading the checkpoint back. Exits 3 when a run diverged (its checkpoint written all the same).
struct TrainGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-group",
        abstract: "Train a batch of runs in one process, saving each as it finishes (a sweep's child process).",
        shouldDisplay: false)

    @Option(name: .customLong("config"), help: "One run's settings (a sweep's DIR/configs/NAME.json); once per run.")
    var configs: [String] = []

    @Option(name: .customLong("save"), help: "Where the run of the --config at the same position writes its checkpoint.")
    var saves: [String] = []

    func validate() throws {
        if configs.isEmpty { throw ValidationError("give at least one --config") }
        if saves.count != configs.count {
            throw ValidationError("--save: give one per --config (\(configs.count) --config, \(saves.count) --save)")
        }
    }

    func run() throws {
        // One BLAS thread per process, as for `train`: the sweep spreads processes over the cores.
        if ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"] == nil { BLASThreads.set(1) }
        let settings = try configs.map(ConfigFile.run)
        for (path, config) in zip(configs, settings) where config.readsOtherModels {
            throw CommandFailure("\(path): starts from other models (init_from or teacher); train it with `nnprobe train --config`")
        }
        let stored = try settings.map(Checkpoint.storedConfig)
        var diverged = false
        do {
            try TrainingBatch.run(settings) { i, result in
                let checkpoint = Checkpoint(run: settings[i], configJSON: stored[i], result: result)
                try checkpoint.write(to: saves[i])
                for note in result.notes { printDiagnostic("nnprobe: \(saves[i]): \(note)") }
                if let divergence = result.divergence { printDiagnostic("nnprobe: \(saves[i]): run diverged: \(divergence)") }
                diverged = diverged || result.status == .diverged
                var metrics = RunMetrics(checkpoint)
                metrics.seconds = checkpoint.storedSeconds   // as the file holds it
                FileHandle.standardOutput.write(Data((saves[i] + "\t" + (try metrics.line()) + "\n").utf8))   // unbuffered: the sweep reads it now
            }
        } catch let error as TaskError { throw CommandFailure(error.description) }
        if diverged { throw ExitCode(3) }
    }
}
