import Foundation

/// One child process of a sweep: a `train-group` worker, which trains the runs the sweep hands it
/// one at a time (`assign`) until its input ends, or `train` for a run that starts from other
/// models. Its stderr goes to the log of its first run; `train-group` prints each checkpoint's
/// path (and the run's `RunMetrics`) as it is written, which `finishedRuns()` reads without
/// waiting, so the sweep records runs one by one, and `waitForOutput` wakes the sweep as soon as a
/// line comes or a child ends.
final class SweepProcess {
    /// The runs handed to this process so far.
    private(set) var runs: [SweepRunner.Run]
    let process: Process
    /// The stderr of the process (`DIR/logs/FIRST.stderr`).
    let log: String
    /// When the last run finished (or the process started): a run's time, when its checkpoint has none.
    private(set) var lastFinish = Date()
    private var finished = Set<String>()
    private let files: SweepFiles
    /// A worker's standard input, where run names go; nil for `train`, and once the input has ended.
    private var input: FileHandle?
    private let output: Pipe?
    private var unread: [UInt8] = []
    /// Whether the child's stdout has ended (it exited, or is exiting).
    private(set) var outputEnded = false
    private var checkpoints: [String: SweepRunner.Run]

    /// Starts a `train-group` worker of the sweep in `files` on `first` (its config already written).
    convenience init(worker first: SweepRunner.Run, files: SweepFiles) throws {
        try self.init(["train-group", "--sweep", files.directory], worker: true, first: first, files: files)
        assign(first)
    }

    /// Starts `train` on `run`, which starts from other models (its config already written).
    convenience init(alone run: SweepRunner.Run, files: SweepFiles) throws {
        try self.init(["train", "--config", files.config(run.name), "--save", files.checkpoint(run.name), "--no-dump", "--json", "--overwrite"],
                      worker: false, first: run, files: files)
    }

    /// Starts the process; a worker has its runs handed to it (`assign`), `train` has `first` alone.
    private init(_ arguments: [String], worker: Bool, first: SweepRunner.Run, files: SweepFiles) throws {
        runs = worker ? [] : [first]
        self.files = files
        log = files.log(first.name)
        checkpoints = [files.checkpoint(first.name): first]
        process = ChildProcess.make(arguments, environment: Self.environment)
        // stderr goes to a file, not a pipe: a pipe nobody reads until exit would block a child
        // that prints more than 64 KiB. stdout (a few short lines) is read as the runs go.
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        output = worker ? Pipe() : nil
        process.standardOutput = output ?? FileHandle.nullDevice
        if let output {
            let descriptor = output.fileHandleForReading.fileDescriptor
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        if worker {
            let pipe = Pipe()
            // Not inherited by the sweep's other children: the worker sees its input end only
            // when no process holds the writing end.
            _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    /// What a child's environment adds. One BLAS thread per process: OPENBLAS_NUM_THREADS is read
    /// by OpenBLAS when it loads, so no idle worker threads spin on the other cores. And glibc's
    /// malloc keeps the memory a run frees for the next run of the process (no `mmap` for large
    /// blocks, no returning the heap's top to the system): a run's data splits and evaluation
    /// buffers are hundreds of MB for Fashion-MNIST, which each run otherwise got back from the
    /// kernel as fresh zeroed pages (4 runs of 784-128×4 in one process: 3.1-3.3 -> 2.5-2.7 s,
    /// peak memory 588 -> 643 MB; 25 runs of 4-16-2: 4 % less CPU).
    static let environment = ["NNPROBE_BLAS_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                              "MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": "1073741824"]

    /// A worker that has reported every run handed to it and can take another.
    var isIdle: Bool { input != nil && finished.count == runs.count }

    /// Hands `run` (its config already written) to this worker. A worker that has died meanwhile
    /// is not written to (the sweep ignores SIGPIPE): its exit tells the sweep.
    func assign(_ run: SweepRunner.Run) {
        guard let input else { return }
        runs.append(run)
        checkpoints[files.checkpoint(run.name)] = run
        let line = Array((run.name + "\n").utf8)
        _ = line.withUnsafeBytes { write(input.fileDescriptor, $0.baseAddress, $0.count) }   // short: one write, never blocks
    }

    /// Tells a worker no run is left: it exits after its last.
    func endInput() {
        try? input?.close()
        input = nil
    }

    /// The runs handed to this process not reported finished yet.
    var unfinished: [SweepRunner.Run] { runs.filter { !finished.contains($0.name) } }

    /// The runs whose checkpoints the child has reported written since the last call, each with
    /// the figures it sent (nil from a child that sent none: read them from the checkpoint).
    func finishedRuns() -> [(run: SweepRunner.Run, metrics: RunMetrics?)] {
        guard let output else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(output.fileHandleForReading.fileDescriptor, &buffer, buffer.count)
            if count == 0 { outputEnded = true }
            if count <= 0 { break }
            unread += buffer[..<count]
        }
        var done: [(run: SweepRunner.Run, metrics: RunMetrics?)] = []
        while let newline = unread.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: unread[..<newline], as: UTF8.self)
            unread.removeSubrange(...newline)
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard let path = fields.first, let run = checkpoints[String(path)], finished.insert(run.name).inserted else { continue }
            done.append((run, fields.count == 2 ? RunMetrics(line: fields[1]) : nil))
        }
        return done
    }

    /// Waits until a child in `children` prints or ends, or `timeout` seconds pass (children
    /// without a pipe, `train`, are seen at the timeout).
    static func waitForOutput(_ children: [SweepProcess], timeout: TimeInterval) {
        var descriptors = children.compactMap { child in
            child.output.map { pollfd(fd: $0.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0) }
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(timeout * 1000))
    }

    /// After a successful exit (0, or 3: a run diverged, its checkpoint written): the run of a
    /// `train` process, which reports none, is finished.
    func finishRest() -> [SweepRunner.Run] {
        guard output == nil else { return [] }
        let rest = unfinished
        finished.formUnion(rest.map(\.name))
        return rest
    }

    /// Seconds since the previous run of this process finished, and starts the next interval.
    func lap() -> TimeInterval {
        defer { lastFinish = Date() }
        return Date().timeIntervalSince(lastFinish)
    }

    /// Why the exited process failed, or nil when it ended well (waits for it first): a worker
    /// also fails when it ended before reporting a run handed to it.
    func failure() -> String? {
        waitForExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal { return "killed by signal \(status)" }
        guard status != 0 && status != 3 else {
            return output != nil && !unfinished.isEmpty ? "its process ended before the run did (exit \(status))" : nil
        }
        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return stderr.split(separator: "\n").last.map(String.init) ?? "exit \(status)"
    }

    /// Waits until the process has ended and Foundation has seen it end. Not `waitUntilExit()`
    /// alone: that looks every 50 ms, which left a core idle that long at each process's end.
    private func waitForExit() {
        while process.isRunning { usleep(200) }
        process.waitUntilExit()   // returns at once now; orders the reads of the exit status after the exit
    }
}
