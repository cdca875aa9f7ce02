import Foundation

/// One child process of a sweep, training one batch of runs (`SweepBatches`): `train-group`, or
/// `train` for a run that starts from other models. Its stderr goes to the log of the batch's
/// first run; `train-group` prints each checkpoint's path as it is written, which `finishedRuns()`
/// reads without waiting, so the sweep records runs one by one while the batch trains.
final class SweepProcess {
    let runs: [SweepRunner.Run]
    let process: Process
    /// The batch's stderr (`DIR/logs/FIRST.stderr`).
    let log: String
    /// When the last run finished (or the process started): a run's time, when its checkpoint has none.
    private(set) var lastFinish = Date()
    private var finished = Set<String>()
    private let output: Pipe?
    private var unread: [UInt8] = []
    private let checkpoints: [String: SweepRunner.Run]

    /// Starts the batch `runs` of `runner`'s sweep (their configs already written).
    init(_ runs: [SweepRunner.Run], of runner: SweepRunner) throws {
        self.runs = runs
        log = runner.log(runs[0])
        checkpoints = Dictionary(uniqueKeysWithValues: runs.map { (runner.checkpoint($0), $0) })
        let arguments = runs.count == 1 && runs[0].config.readsOtherModels
            ? ["train", "--config", runner.configFile(runs[0]), "--save", runner.checkpoint(runs[0]), "--no-dump", "--json", "--overwrite"]
            : ["train-group"] + runs.flatMap { ["--config", runner.configFile($0), "--save", runner.checkpoint($0)] }
        // One BLAS thread per process; OPENBLAS_NUM_THREADS is read by OpenBLAS when it loads: no
        // idle worker threads spinning on the other cores.
        process = ChildProcess.make(arguments, environment: ["NNPROBE_BLAS_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"])
        // stderr goes to a file, not a pipe: a pipe nobody reads until exit would block a child
        // that prints more than 64 KiB. stdout (a few short lines) is read as the batch goes.
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        output = arguments[0] == "train-group" ? Pipe() : nil
        process.standardOutput = output ?? FileHandle.nullDevice
        if let output {
            let descriptor = output.fileHandleForReading.fileDescriptor
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        try process.run()
    }

    /// The runs not reported finished yet.
    var unfinished: [SweepRunner.Run] { runs.filter { !finished.contains($0.name) } }

    /// The runs whose checkpoints the child has reported written since the last call.
    func finishedRuns() -> [SweepRunner.Run] {
        guard let output else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(output.fileHandleForReading.fileDescriptor, &buffer, buffer.count)
            if count <= 0 { break }
            unread += buffer[..<count]
        }
        var done: [SweepRunner.Run] = []
        while let newline = unread.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: unread[..<newline], as: UTF8.self)
            unread.removeSubrange(...newline)
            if let run = checkpoints[line], finished.insert(run.name).inserted { done.append(run) }
        }
        return done
    }

    /// After a successful exit (0, or 3: a run diverged, its checkpoint written): every run not
    /// reported yet is finished too (`train` reports none).
    func finishRest() -> [SweepRunner.Run] {
        let rest = unfinished
        finished.formUnion(rest.map(\.name))
        return rest
    }

    /// Seconds since the previous run of the batch finished, and starts the next interval.
    func lap() -> TimeInterval {
        defer { lastFinish = Date() }
        return Date().timeIntervalSince(lastFinish)
    }

    /// Why the exited process failed, or nil when it ended well (waits for it first).
    func failure() -> String? {
        process.waitUntilExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal { return "killed by signal \(status)" }
        guard status != 0 && status != 3 else { return nil }
        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return stderr.split(separator: "\n").last.map(String.init) ?? "exit \(status)"
    }
}
