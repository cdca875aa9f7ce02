import Foundation
import NNCheckpoint
import NNTrain
import Testing
@testable import nnprobe

/// Issue 18: a sweep trains its runs in one `train-group` child process per job, each handed the
/// next run as it finishes one, and what it leaves behind is what one process per run left.
@Suite struct SweepWorkerTests {
    private func run(_ name: String, seed: UInt64 = 0, lr: Double = 0.001, hidden: [Int] = [16], teacher: String? = nil) -> SweepRunner.Run {
        var config = TrainingConfig()
        config.seed = seed
        config.optimization.lr = lr
        config.model.hidden = hidden
        config.run.teacher = teacher
        return SweepRunner.Run(name: name, config: config, labels: [])
    }

    /// Runs that start from other models come first, each to train alone; the others follow in
    /// sweep order, whatever their settings, for the `train-group` workers to take one at a time.
    @Test func theQueueStartsRunsThatTrainAloneFirst() {
        let runs = [run("s0"), run("d0", teacher: "teacher.h5"), run("s1", hidden: [32]), run("d1", teacher: "teacher.h5"), run("s2", lr: 0.01)]
        var queue = SweepQueue(runs)
        #expect(queue.next()?.name == "d0")
        #expect(queue.nextTogether()?.name == "s0", "a worker takes the next run that trains together, not one that trains alone")
        var order: [String] = []
        while let next = queue.next() { order.append(next.name) }
        #expect(order == ["d1", "s1", "s2"])
        #expect(queue.isEmpty && queue.nextTogether() == nil)
    }

    /// Run names from a worker's input name one file each in the sweep directory, nothing else.
    @Test func aRunNameIsOneVisibleFileName() {
        #expect(SweepFiles.isRunName("h16-relu-adam-lr0.001-b128-e2-s0-c1a2b"))
        for bad in ["", ".hidden", "../escape", "a/b", "tab\there", "nul\u{0}"] { #expect(!SweepFiles.isRunName(bad), "\(bad.debugDescription)") }
        let files = SweepFiles(directory: "/d")
        #expect([files.checkpoint("r"), files.config("r"), files.log("r")] == ["/d/r.h5", "/d/configs/r.json", "/d/logs/r.stderr"])
    }

    /// A worker stops at a line that names no run, or a run without settings, with one line
    /// naming the problem; at the end of its input it ends, having written nothing.
    @Test func aWorkerRefusesInputThatNamesNoRun() throws {
        let sweep = try temporaryDirectory().path
        let escape = try runNNProbe(["train-group", "--sweep", sweep], input: "../outside\n")
        #expect(escape.status == 1 && escape.stderr.split(separator: "\n").count == 1, "\(escape.stderr)")
        #expect(escape.stderr.contains("standard input, line 1: \"../outside\" is not a run name"), "\(escape.stderr)")
        let missing = try runNNProbe(["train-group", "--sweep", sweep], input: "no-such-run\n")
        #expect(missing.status == 1 && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        #expect(missing.stderr.contains("\(sweep)/configs/no-such-run.json"), "\(missing.stderr)")
        let none = try runNNProbe(["train-group", "--sweep", sweep], input: "")
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.isEmpty, "\(none.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sweep).isEmpty)
    }

    /// Fuzzed input for a worker: run names with bytes flipped (control characters, `/`, `.`,
    /// line breaks, bytes that are no UTF-8), and configs cut short. Each stops the worker with
    /// one line and exit 1, and it writes nothing.
    @Test func aWorkerSurvivesMutatedNamesAndTruncatedConfigs() throws {
        let sweep = try temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: "\(sweep)/configs", withIntermediateDirectories: true)
        let name = "h16-relu-adam-lr0.001-b128-e2-s0"
        let config = Array(try JSONOutput.encode(TrainingConfig()).utf8)
        var state: UInt64 = 0x5EED
        func draw(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let specials: [UInt8] = [0, 0x0A, 0x0D, 0x2F, 0x2E, 0x7F, 0xFF, 0xC3, 0x09]
        for trial in 0..<24 {
            var line = Array(name.utf8)
            if trial % 2 == 0 {   // a flipped name; its config exists, so only the name can fail
                try Data(config).write(to: URL(fileURLWithPath: "\(sweep)/configs/\(name).json"))
                for _ in 0...draw(3) { line[draw(line.count)] = specials[draw(specials.count)] }
                if trial % 4 == 0 { line.insert(specials[draw(specials.count)], at: 0) }
                if line == Array(name.utf8) { continue }   // flipped to what it was: it would train
            } else {              // the name intact, its config cut short (never empty: that reads as the defaults)
                try Data(config.prefix(1 + draw(config.count - 1))).write(to: URL(fileURLWithPath: "\(sweep)/configs/\(name).json"))
            }
            let result = try runNNProbe(["train-group", "--sweep", sweep], input: String(decoding: line + [0x0A], as: UTF8.self))
            #expect(result.status == 1 && !result.terminatedBySignal && result.stderr.split(separator: "\n").count == 1,
                    "trial \(trial): \(result.status) \(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: sweep) == ["configs"], "trial \(trial)")
        }
    }

    private static let environment = ["SOURCE_DATE_EPOCH": "1700000000"]
    private static let quick = ["--epochs", "2", "--train-size", "300", "--val-size", "64", "--test-size", "64"]

    /// Each checkpoint a sweep's worker writes is, byte for byte, the file the runner's former
    /// child (`train --config C --save P --no-dump`, one process per run) writes for that run.
    @Test func workersWriteTheBytesOfOneProcessPerRun() throws {
        let dir = try temporaryDirectory()
        let sweep = dir.appendingPathComponent("sweep").path
        let result = try runNNProbe(["train", "multi-mult", "--seeds", "0..2", "--lr", "0.01,0.003", "--save", sweep, "--jobs", "1"] + Self.quick,
                                    environment: Self.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let logs = try FileManager.default.contentsOfDirectory(atPath: "\(sweep)/logs")
        #expect(logs.count == 1, "6 runs on 1 job train in one process: \(logs)")
        let configs = try FileManager.default.contentsOfDirectory(atPath: "\(sweep)/configs").filter { $0.hasSuffix(".json") }.sorted()
        #expect(configs.count == 6)
        for config in configs {
            let name = String(config.dropLast(5))
            let single = dir.appendingPathComponent("\(name).h5").path
            let alone = try runNNProbe(["train", "--config", "\(sweep)/configs/\(config)", "--save", single, "--no-dump"],
                                       environment: Self.environment)
            #expect(alone.status == 0, "\(alone.stderr)")
            let (a, b) = (try Data(contentsOf: URL(fileURLWithPath: "\(sweep)/\(name).h5")), try Data(contentsOf: URL(fileURLWithPath: single)))
            #expect(!a.isEmpty && a == b, "\(name): the sweep's checkpoint differs from the one-run process's")
        }
    }

    /// A run that diverges is saved with status "diverged"; the runs after it in the same worker
    /// still train, and the sweep succeeds.
    @Test func aDivergedRunIsRecordedAndTheRestTrain() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        // Three runs on one job, one worker: lr 0.01, 10000 (diverges), 0.003.
        let result = try runNNProbe(["train", "regression", "--optimizer", "sgd", "--lr", "0.01,10000,0.003", "--hidden", "32,32",
                                     "--epochs", "3", "--train-size", "300", "--save", sweep, "--jobs", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(1 diverged)"), "\(result.stdout)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
        let status = Dictionary(uniqueKeysWithValues: (index["runs"] as! [[String: Any]]).map {
            (($0["parameters"] as! [String: Any])["lr"] as! Double, $0["status"] as! String)
        })
        #expect(status == [0.01: "ok", 10000: "diverged", 0.003: "ok"])
    }

    /// The index a sweep writes from the figures its children send (`RunMetrics` lines) is the
    /// index read from the checkpoints, NaNs of a diverged run and training times included.
    @Test func theIndexFromTheChildrensLinesIsTheIndexOfTheCheckpoints() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        let result = try runNNProbe(["train", "regression", "--optimizer", "sgd", "--lr", "0.01,10000,0.003", "--hidden", "32,32",
                                     "--epochs", "3", "--train-size", "300", "--save", sweep, "--jobs", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let index = try JSONDecoder().decode(SweepIndex.self, from: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json")))
        #expect(index.runs.count == 3 && index.runs.contains { $0.status == "diverged" })
        func figures(_ m: RunMetrics) -> [Double] {
            [m.finalTrainLoss, m.finalValLoss, m.finalValAccuracy, m.testLoss, m.testAccuracy, m.seconds ?? -1, m.firstValLoss, m.deadUnits]
        }
        for entry in index.runs {
            let read = RunMetrics(try Checkpoint.read(from: entry.checkpoint(in: sweep), training: true, convNets: true))
            let listed = [entry.finalTrainLoss, entry.finalValLoss, entry.finalValAccuracy, entry.testLoss, entry.testAccuracy,
                          entry.seconds, entry.firstValLoss, entry.deadUnits]
            #expect(zip(figures(read), listed).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(entry.name)")
            #expect([read.status, "\(read.epochs)", "\(read.stepsPerEpoch)"] == [entry.status, "\(entry.epochs)", "\(entry.stepsPerEpoch)"])
            #expect(read.seconds != nil, "training times are stored outside reproducible mode")
        }
        // The line itself: NaN as null, no time when there is none, read back bit for bit.
        var metrics = RunMetrics(try Checkpoint.read(from: index.runs.first { $0.status == "diverged" }!.checkpoint(in: sweep), training: true, convNets: true))
        metrics.seconds = nil
        let line = try metrics.line()
        #expect(line.contains("null") && !line.contains("\n") && !line.contains("\t") && !line.contains("seconds"), "\(line)")
        let back = try #require(RunMetrics(line: Substring(line)))
        #expect(zip(figures(back), figures(metrics)).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
        #expect(figures(metrics).contains { $0.isNaN })
        #expect(back.seconds == nil && back.status == "diverged")
        #expect(RunMetrics(line: "not json") == nil && RunMetrics(line: "{\"status\":1}") == nil)
    }

    /// A run whose checkpoint cannot be written fails the sweep, naming that run; the run its
    /// worker saved before stays, in the index, and a re-run trains only the rest.
    @Test func aFailedRunIsNamedAndTheFinishedOnesStay() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        let arguments = ["train", "multi-mult", "--seeds", "0..3", "--save", sweep, "--jobs", "1"] + Self.quick
        #expect(try runNNProbe(arguments).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: sweep).filter { $0.hasSuffix(".h5") }.sorted()
        let second = try #require(files.first { $0.contains("-s1-") })
        for file in files + ["index.json"] { try FileManager.default.removeItem(atPath: "\(sweep)/\(file)") }
        // Seed 1's checkpoint path is a directory: the rename into place fails.
        try FileManager.default.createDirectory(atPath: "\(sweep)/\(second)", withIntermediateDirectories: false)
        let failed = try runNNProbe(arguments + ["--overwrite"])
        #expect(failed.status == 1)
        #expect(failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("sweep run \(second.dropLast(3)) failed:") && failed.stderr.contains("Is a directory"), "\(failed.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: sweep)
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
        #expect((index["runs"] as! [[String: Any]]).map { $0["seed"] as! Int } == [0])
        try FileManager.default.removeItem(atPath: "\(sweep)/\(second)")
        let resumed = try runNNProbe(arguments)
        #expect(resumed.status == 0 && resumed.stderr.contains("1 of 4 runs already complete"), "\(resumed.stderr)")
    }

    /// Ctrl-C stops the workers: the sweep names the run each was training as stopped, and
    /// leaves neither a process nor a temporary file behind.
    @Test func ctrlCStopsTheRunsInTraining() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        // Four runs on one job: one worker, which trains its first run for a long time.
        let (process, err) = try startNNProbe(["train", "multi-mult", "--seeds", "0..3", "--epochs", "100000", "--train-size", "2000",
                                               "--save", sweep, "--jobs", "1"])
        func children() -> [Int32] { sweepChildren(of: sweep).map(\.pid) }
        let deadline = Date().addingTimeInterval(60)
        while children().isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(children().count == 1, "the worker never started")
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGINT)
        #expect(stderr.contains("0 of 4 runs finished, 1 stopped"), "\(stderr)")
        #expect(children().isEmpty, "a worker still training after the sweep was stopped")
        let left = try FileManager.default.contentsOfDirectory(atPath: sweep)
        #expect(!left.contains { $0.hasSuffix(".tmp") || $0.hasSuffix(".h5") }, "\(left)")
    }
}
