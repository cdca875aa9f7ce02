import ArgumentParser
import Foundation
import NNCheckpoint
import NNLinalg
import NNTasks

/// The `nnprobe` command: configuration only; each subcommand lives in `Commands/`.
@main
struct NNProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnprobe",
        abstract: "Train small neural networks and analyse how they compute.",
        discussion: """
            Results print as tables on stdout; add --json for one JSON document instead. \
            Diagnostics go to stderr. Layers are numbered from 0 in forward order everywhere.
            """,
        version: NNProbeVersion.string,
        subcommands: [Train.self, Inspect.self, SVD.self, Norms.self, Grads.self, Ortho.self, PCA.self, Dump.self, Import.self, Predict.self, Regions.self, Report.self, Summary.self, Run.self, Pack.self, Similarity.self, Probe.self, Rank.self, Ablate.self, TrainGroup.self])

    /// Runs the command line; our own errors become one `nnprobe: error: …` line and exit 1
    /// (analyses name the file: see `FileError`, `PerFile`).
    static func main() {
        ChildProcess.exitWithParent()
        // OpenBLAS starts its worker threads as it loads, and they spin a while waiting for work:
        // ended at once, before parsing and planning (a threaded BLAS call starts them again).
        BLASThreads.endWorkerThreads()
        if let threads = ProcessInfo.processInfo.environment["NNPROBE_BLAS_THREADS"].flatMap(Int.init) { BLASThreads.set(threads) }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as FileFormatError {
            CommandFailure.exit(error.description)
        } catch let error as HDF5Error {
            CommandFailure.exit(error.description)
        } catch let error as SettingProblem {
            CommandFailure.exit(SettingFlags.describe(error))
        } catch let error as CommandFailure {
            CommandFailure.exit(error.message)
        } catch let error as FileError {
            CommandFailure.exit(error.line)
        } catch let error as NonFiniteError {
            CommandFailure.exit(error.description)
        } catch let error as LinalgError {
            CommandFailure.exit(error.description)
        } catch {
            exit(withError: error)
        }
    }
}
