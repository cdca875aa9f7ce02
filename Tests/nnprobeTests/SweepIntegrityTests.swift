import Foundation
import Testing

/// A re-run must never pass off old checkpoints as results of new settings, and a sweep that is
/// stopped leaves no runs training and no temporary files behind.
@Suite struct SweepIntegrityTests {
    private let quick = ["--epochs", "1", "--train-size", "256", "--val-size", "64", "--test-size", "64"]

    private func checkpoints(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".h5") }.sorted()
    }

    private func index(_ directory: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/index.json"))) as! [String: Any]
    }

    /// Settings the run name leaves out (weight decay, initialisation, the task) are compared too:
    /// the same directory re-run with them changed trains new runs under new names or is refused,
    /// and the index never claims settings its checkpoints were not trained with.
    @Test func aSweepReRunWithOtherSettingsIsNotTakenAsComplete() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        let first = try runNNProbe(["train", "multi-mult", "--seeds", "0..1", "--save", sweep] + quick)
        #expect(first.status == 0, "\(first.stderr)")
        let original = try checkpoints(in: sweep)
        #expect(original.count == 2)

        let same = try runNNProbe(["train", "multi-mult", "--seeds", "0..1", "--save", sweep] + quick)
        #expect(same.status == 0 && same.stderr.contains("2 of 2 runs already complete"), "\(same.stderr)")

        for changed in [["--weight-decay", "0.1"], ["--init", "xavier"]] {
            let result = try runNNProbe(["train", "multi-mult", "--seeds", "0..1", "--save", sweep] + quick + changed)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("already complete"), "\(changed): \(result.stderr)")
        }
        #expect(try checkpoints(in: sweep).count == 6, "each configuration has names of its own")

        let otherTask = try runNNProbe(["train", "mult", "--seeds", "0..1", "--save", sweep] + quick)
        #expect(otherTask.status == 1)
        #expect(otherTask.stderr.contains("holds a run trained with other settings (task: \"multi-mult\" there, \"mult\" here)"),
                "\(otherTask.stderr)")
        #expect(otherTask.stderr.split(separator: "\n").count == 1)
        let afterRefusal = try index(sweep)
        #expect(afterRefusal["task"] as? String == "multi-mult", "a refused re-run must not rewrite the index")

        let overwritten = try runNNProbe(["train", "mult", "--seeds", "0..1", "--save", sweep, "--overwrite"] + quick)
        #expect(overwritten.status == 0, "\(overwritten.stderr)")
        #expect(try index(sweep)["task"] as? String == "mult")
    }

    /// A single run into an occupied path: refused when the settings differ, and a transfer run
    /// and a plain run of the same task get different default names.
    @Test func aSingleRunDoesNotOverwriteADifferentRun() throws {
        let dir = try temporaryDirectory()
        let teacher = dir.appendingPathComponent("teacher.h5").path
        #expect(try runNNProbe(["train", "moons", "--save", teacher, "--no-dump"] + quick).status == 0)
        let transfer = try runNNProbe(["train", "moons", "--init-from", teacher, "--freeze", "0", "--save", "--no-dump"] + quick, in: dir)
        #expect(transfer.status == 0, "\(transfer.stderr)")
        let plain = try runNNProbe(["train", "moons", "--save", "--no-dump"] + quick, in: dir)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try checkpoints(in: dir.appendingPathComponent("checkpoints/moons").path).count == 2)

        let differently = try runNNProbe(["train", "moons", "--save", teacher, "--no-dump", "--epochs", "2"] + quick.dropFirst(2))
        #expect(differently.status == 1)
        #expect(differently.stderr.contains("epochs: 1 there, 2 here"), "\(differently.stderr)")
        #expect(differently.stderr.contains("--overwrite"))
        #expect(try runNNProbe(["train", "moons", "--save", teacher, "--no-dump", "--overwrite", "--epochs", "2"] + quick.dropFirst(2)).status == 0)
    }

    /// A --save path that cannot be written is found before the first training step.
    @Test func anUnwritableSavePathFailsBeforeTraining() throws {
        let started = Date()
        let result = try runNNProbe(["train", "multi-mult", "--epochs", "100000", "--save", "/proc/nnprobe-test/run.h5"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("nnprobe: error: /proc/nnprobe-test"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 20, "the run trained before finding it could not save")
        let file = try temporaryDirectory().appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let underFile = try runNNProbe(["train", "multi-mult", "--epochs", "100000", "--seeds", "0..1", "--save", file.path + "/sweep"])
        #expect(underFile.status == 1 && underFile.stderr.contains("plain-file"), "\(underFile.stderr)")
    }

    /// The sweep's child runs, found by their command lines.
    private func children(of sweep: String) -> [Int32] {
        sweepChildren(of: sweep).map(\.pid)
    }

    /// Starts a long sweep and waits until its first runs are training.
    private func startLongSweep(_ sweep: String) throws -> Process {
        let process = Process()
        process.executableURL = productsDirectory().appendingPathComponent("nnprobe")
        process.arguments = ["train", "multi-mult", "--seeds", "0..3", "--epochs", "100000", "--train-size", "20000", "--save", sweep, "--jobs", "2"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while children(of: sweep).count < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.5)
        return process
    }

    private func waitForNoChildren(of sweep: String, seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !children(of: sweep).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return children(of: sweep).isEmpty
    }

    /// Ctrl-C (SIGINT) or `kill` (SIGTERM) of a sweep stops its runs, removes their unfinished
    /// files, and leaves no temporary directory; `kill -9` of the sweep stops its runs too.
    @Test(arguments: [SIGINT, SIGTERM, SIGKILL])
    func stoppingASweepStopsItsRuns(signal: Int32) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("nnprobe-sweep-") })
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        let process = try startLongSweep(sweep)
        #expect(children(of: sweep).count == 2, "the sweep's runs never started")
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("the sweep did not stop on signal \(signal)")
            kill(process.processIdentifier, SIGKILL)
            for child in children(of: sweep) { kill(child, SIGKILL) }
        }
        process.waitUntilExit()
        if signal != SIGKILL { #expect(process.terminationStatus == 128 + signal) }
        #expect(waitForNoChildren(of: sweep, seconds: 5), "runs still training after the sweep was stopped")
        let left = try FileManager.default.contentsOfDirectory(atPath: sweep)
        if signal != SIGKILL { #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)") }
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("nnprobe-sweep-") })
        #expect(after.subtracting(before).isEmpty, "a temporary directory per stopped sweep")
    }

    /// Shards running at the same time into one directory: whichever finishes last leaves an
    /// index of the whole sweep (issue 15: each shard used to write only its own slice).
    @Test func concurrentShardsLeaveTheWholeIndex() throws {
        let dir = try temporaryDirectory().appendingPathComponent("sweep").path
        let shards = (1...3).map { k in
            let process = Process()
            process.executableURL = productsDirectory().appendingPathComponent("nnprobe")
            process.arguments = ["train", "mult", "--epochs", "1", "--train-size", "200", "--seeds", "0..5",
                                 "--shard", "\(k)/3", "--save", dir, "--jobs", "1"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in shards { try process.run() }
        for process in shards { process.waitUntilExit() }
        #expect(shards.allSatisfy { $0.terminationStatus == 0 })
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/index.json"))) as! [String: Any]
        let seeds = (index["runs"] as! [[String: Any]]).compactMap { $0["seed"] as? Int }
        #expect(seeds.sorted() == [0, 1, 2, 3, 4, 5], "\(seeds)")
        let summary = try runNNProbe(["summary", dir])
        #expect(summary.stdout.hasPrefix("\(dir): 6 runs of mult"), "\(summary.stdout)")
    }
}
