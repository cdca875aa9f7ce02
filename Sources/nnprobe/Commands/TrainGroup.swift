import ArgumentParser
import Foundation
import NNCheckpoint
import NNLinalg
import NNTasks
import NNTrain

/// `nnprobe train-group` (hidden): a sweep's child process, one per core. Reads run names from
/// standard input, one per line as the sweep hands them out, and trains each in turn
/// (`TrainingBatch`) from the settings the sweep wrote (`SweepFiles`). As soon as a run is done it
/// writes the run's checkpoint, the same bytes `train --save --no-dump` writes, and prints a line
/// of the checkpoint's path, a tab, and the figures the sweep's index lists (`RunMetrics` as
/// JSON): the sweep's progress, and its index without reading the checkpoint back. Ends at the end
/// of its input; exits 3 when a run diverged (its checkpoint written all the same).
struct TrainGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-group",
        abstract: "Train the runs of a sweep named on standard input, one per line, in one process (a sweep's child process).",
        shouldDisplay: false)

    @Option(name: .customLong("sweep"), help: "The sweep's directory: run NAME reads DIR/configs/NAME.json and writes DIR/NAME.h5.")
    var directory: String

    func run() throws {
        signal(SIGPIPE, SIG_DFL)   // the sweep ignores it (see `SweepProcess.assign`); this process may die of it as usual
        // One BLAS thread per process, as for `train`: the sweep spreads processes over the cores.
        if ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"] == nil { BLASThreads.set(1) }
        let files = SweepFiles(directory: directory)
        let batch = TrainingBatch()
        var diverged = false, line = 0
        while let name = readLine() {
            line += 1
            guard SweepFiles.isRunName(name) else {
                throw CommandFailure("standard input, line \(line): \(name.debugDescription) is not a run name")
            }
            let (path, save) = (files.config(name), files.checkpoint(name))
            let config = try ConfigFile.run(path)
            if config.readsOtherModels {
                throw CommandFailure("\(path): starts from other models (init_from or teacher); train it with `nnprobe train --config`")
            }
            let stored = try Checkpoint.storedConfig(config)
            let result: TrainingResult
            do { result = try batch.train(config) } catch let error as TaskError { throw CommandFailure(error.description) }
            let checkpoint = Checkpoint(run: config, configJSON: stored, result: result)
            try checkpoint.write(to: save)
            for note in result.notes { printDiagnostic("nnprobe: \(save): \(note)") }
            if let divergence = result.divergence { printDiagnostic("nnprobe: \(save): run diverged: \(divergence)") }
            diverged = diverged || result.status == .diverged
            var metrics = RunMetrics(checkpoint)
            metrics.seconds = checkpoint.storedSeconds   // as the file holds it
            FileHandle.standardOutput.write(Data((save + "\t" + (try metrics.line()) + "\n").utf8))   // unbuffered: the sweep reads it now
        }
        if diverged { throw ExitCode(3) }
    }
}
