import Foundation
import Testing
import NNCheckpoint

@Suite struct TrainCommandTests {
    /// Runs `train` expecting a clean failure: status 1, no signal, one stderr line containing `expected`.
    func expectFailure(_ arguments: [String], _ expected: String, in directory: URL? = nil) throws {
        let result = try runNNProbe(["train"] + arguments, in: directory)
        #expect(result.status != 0 && !result.terminatedBySignal, "\(arguments) exited \(result.status)")
        let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("Help:") && !$0.hasPrefix("  See '") && !$0.isEmpty }
        #expect(lines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
    }

    @Test func badFlagsAreOneClearLine() throws {
        try expectFailure(["mnist"], "unknown task 'mnist'; known tasks: multi-mult")
        try expectFailure(["mult", "--lr=-1"], "--lr -1.0: the learning rate must be positive")
        try expectFailure(["mult", "--lr", "-1"], "--lr -1.0: the learning rate must be positive")   // not "Missing value"
        try expectFailure(["mult", "--seed", "-3"], "--seed: seeds are non-negative integers")
        try expectFailure(["mult", "--hidden", "16,0"], "every width must be at least 1")
        try expectFailure(["mult", "--depth", "2", "--width", "0"], "every width must be at least 1")
        try expectFailure(["mult", "--hidden", "16,x"], "--hidden")
        try expectFailure(["mult", "--dropout", "1.5"], "--dropout 1.5")
        try expectFailure(["idx", "--data", "/nonexistent"], "/nonexistent/train-images-idx3-ubyte: no such file")
        try expectFailure(["csv"], "--data: task csv needs a CSV file")
        try expectFailure(["spirals", "--classes", "1"], "--classes 1: a classification set needs at least 2 classes")
        try expectFailure(["mult", "--batch-norm", "--batch-size", "1"], "--batch-size 1: --batch-norm needs batches of at least 2 rows")
        try expectFailure(["mult", "--freeze", "0"], "--freeze: needs a model to start from (--init-from)")
        try expectFailure(["mult", "--init", "xavier", "--lr", "0"], "--lr 0.0: the learning rate must be positive")
        try expectFailure(["mult", "--epochs", "1", "--save", ""], "Unexpected argument ''")   // an empty path is no path
    }

    @Test func malformedFilesNameTheFile() throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("d.csv")
        try "1,2,0\n1,oops,1\n".write(to: csv, atomically: true, encoding: .utf8)
        try expectFailure(["csv", "--data", csv.path], "\(csv.path):2: 'oops' is not a number")
        try Data([0x1F, 0x8B, 0, 0]).write(to: dir.appendingPathComponent("train-images-idx3-ubyte"))
        try expectFailure(["idx", "--data", dir.path], "train-images-idx3-ubyte: damaged gzip data (unknown compression method)")
        let yaml = dir.appendingPathComponent("c.yaml")
        try "task: mult\nlrr: 0.1\n".write(to: yaml, atomically: true, encoding: .utf8)
        try expectFailure(["--config", yaml.path], "\(yaml.path): unknown key 'lrr'")
        try "task: mult\nepochs: many\n".write(to: yaml, atomically: true, encoding: .utf8)
        try expectFailure(["--config", yaml.path], "\(yaml.path): 'epochs': expected an integer")
        try "task: [mult\n".write(to: yaml, atomically: true, encoding: .utf8)
        try expectFailure(["--config", yaml.path], "\(yaml.path): malformed YAML")
        try expectFailure(["--config", dir.appendingPathComponent("none.yaml").path], "none.yaml: no such file")
    }

    @Test func yamlConfigWithFlagOverrides() throws {
        let dir = try temporaryDirectory()
        let yaml = dir.appendingPathComponent("c.yaml")
        try """
            task: spirals
            hidden: [8, 8]
            batch_norm: true
            epochs: 1
            lr: 0.5
            data:
              train_size: 300
              classes: 3
            """.write(to: yaml, atomically: true, encoding: .utf8)
        let result = try runNNProbe(["train", "--config", yaml.path, "--lr", "0.01", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let config = json["config"] as! [String: Any]
        #expect(config["lr"] as? Double == 0.01)
        #expect(config["batch_norm"] as? Bool == true)
        #expect(config["hidden"] as? [Int] == [8, 8])
        #expect((config["data"] as! [String: Any])["classes"] as? Int == 3)
        #expect(json["schema"] as? String == "nnprobe.train/1")
        #expect(json["steps_per_epoch"] as? Int == 3)
    }

    @Test func singleValuedDataFlagsApply() throws {
        let result = try runNNProbe(["train", "mult", "--train-size", "300", "--noise", "0.1", "--tolerance", "0.2", "--epochs", "1", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let data = (json["config"] as! [String: Any])["data"] as! [String: Any]
        #expect(data["train_size"] as? Int == 300 && data["noise"] as? Double == 0.1 && data["tolerance"] as? Double == 0.2)
        #expect(json["steps_per_epoch"] as? Int == 3)
    }

    @Test func sweepRunsInParallelResumesAndSummarises() throws {
        let dir = try temporaryDirectory()
        let sweep = dir.appendingPathComponent("sweep").path
        let arguments = ["train", "multi-mult", "--seeds", "0..3", "--lr", "0.01,0.003", "--epochs", "2", "--train-size", "1000",
                         "--save", sweep, "--jobs", "2"]
        #expect(try runNNProbe(arguments).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: sweep).filter { $0.hasSuffix(".h5") }
        #expect(files.count == 8)
        try FileManager.default.removeItem(atPath: "\(sweep)/\(files[0])")
        let again = try runNNProbe(arguments)
        #expect(again.stderr.contains("7 of 8 runs already complete"))
        let summary = try JSONSerialization.jsonObject(with: Data(try runNNProbe(["summary", sweep, "--by", "lr", "--json"]).stdout.utf8)) as! [String: Any]
        let groups = summary["groups"] as! [[String: Any]]
        #expect(groups.map { ($0["parameters"] as! [String: Any])["lr"] as? Double } == [0.003, 0.01])
        #expect(groups.allSatisfy { $0["runs"] as? Int == 4 && $0["steps_per_epoch"] as? Int == 8 })
        let shard = try runNNProbe(["train", "mult", "--seeds", "0..5", "--epochs", "1", "--train-size", "200",
                                    "--save", dir.appendingPathComponent("shard").path, "--shard", "2/3"])
        #expect(shard.status == 0)
        // --train-size is not part of the readable name: the hash of such settings ends it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("shard").path).filter { $0.hasSuffix(".h5") }
                .map { $0.replacingOccurrences(of: "-c[0-9a-f]{8}", with: "", options: .regularExpression) }.sorted()
                == ["h16-relu-adam-lr0.001-b128-e1-s1.h5", "h16-relu-adam-lr0.001-b128-e1-s4.h5"])
    }

    /// A run that dies mid-training fails the sweep: one line naming it, exit 1, the other run
    /// stopped, no partial checkpoint left, and the index lists only finished runs.
    @Test func aRunKilledMidTrainingStopsTheSweep() throws {
        let sweep = try temporaryDirectory().appendingPathComponent("sweep").path
        let (process, err) = try startNNProbe(["train", "multi-mult", "--seeds", "0..3", "--epochs", "500", "--train-size", "20000",
                                               "--save", sweep, "--jobs", "2"])
        // Four runs on two jobs: two `train-group` workers, handed seeds 0 and 1 first. Kill the
        // one that started on seed 0 (its log is named after its first run) as soon as it exists:
        // it is training seed 0 then, the run the sweep must name.
        let deadline = Date().addingTimeInterval(60)
        var victim: Int32?
        while victim == nil, Date() < deadline, process.isRunning {
            victim = sweepChildren(of: sweep).first { stderrFile(of: $0.pid)?.contains("-s0-c") == true }?.pid
            if victim == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let target = try #require(victim, "seed 0's worker never started")
        // Let it get going first: mid-training, not before the sweep has finished starting it
        // (Foundation may miss the exit of a child killed within microseconds of its spawn).
        Thread.sleep(forTimeInterval: 0.5)
        kill(target, SIGKILL)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.split(separator: "\n").count == 1)
        #expect(stderr.contains("sweep run h16-relu-adam-lr0.001-b128-e500-s0-c"), "\(stderr)")
        #expect(stderr.contains("failed: killed by signal 9"), "\(stderr)")
        #expect(sweepChildren(of: sweep).isEmpty, "runs still training after the sweep failed")
        let left = try FileManager.default.contentsOfDirectory(atPath: sweep)
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
        for run in index["runs"] as! [[String: Any]] {
            #expect(FileManager.default.fileExists(atPath: "\(sweep)/\(run["checkpoint"] as! String)"))
        }
    }

    @Test func saveWritesCheckpointDumpsAndSnapshotsUnderTheDefaultName() throws {
        let dir = try temporaryDirectory()
        let result = try runNNProbe(["train", "multi-mult", "--epochs", "2", "--save", "--save-every", "1", "--probe-grid", "5"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let folder = dir.appendingPathComponent("checkpoints/multi-mult")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let name = "h16-relu-adam-lr0.001-b128-e2-s0"
        #expect(files == ["\(name).acts-task0.h5", "\(name).acts-task1.h5", "\(name).acts-test.h5",
                          "\(name).epoch-0001.h5", "\(name).epoch-0002.h5", "\(name).h5"])
        #expect(result.stdout.contains("wrote checkpoints/multi-mult/\(name).h5"))
        let inspect = try runNNProbe(["inspect", folder.appendingPathComponent("\(name).acts-task1.h5").path])
        #expect(inspect.stdout.contains("task1 varied (inputs 2,3) on a 5-point grid, 5 held contexts"))
    }

    @Test func divergedRunStillWritesItsCheckpoint() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("d.h5").path
        let result = try runNNProbe(["train", "regression", "--optimizer", "sgd", "--lr", "10000", "--hidden", "32,32",
                                     "--epochs", "3", "--save", path, "--no-dump"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("try a smaller --lr"))
        let inspect = try runNNProbe(["inspect", path, "--json"])
        #expect(inspect.stdout.contains("\"status\" : \"diverged\""))
    }

    /// --init-from takes every architectural fact of the source model into the stored config:
    /// batch norm (so the 1-row-batch rule applies), widths, activation, residual connections.
    @Test func initFromAdoptsTheSourceArchitecture() throws {
        let dir = try temporaryDirectory()
        let source = dir.appendingPathComponent("source.h5").path
        #expect(try runNNProbe(["train", "spirals", "--hidden", "8,8", "--batch-norm", "--activation", "tanh", "--residual",
                                "--epochs", "1", "--train-size", "257", "--save", source, "--no-dump"]).status == 0)
        let result = try runNNProbe(["train", "spirals", "--init-from", source, "--epochs", "1", "--train-size", "257",
                                     "--batch-size", "128", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let config = json["config"] as! [String: Any]
        #expect(config["batch_norm"] as? Bool == true)
        #expect(config["hidden"] as? [Int] == [8, 8])
        #expect(config["activation"] as? String == "tanh")
        #expect(config["residual"] as? Bool == true)
        #expect(json["steps_per_epoch"] as? Int == 2, "257 rows at batch 128 under batch norm: the 1-row batch is dropped")
    }
}

/// `train --init-from T.h5 --reinit L`: layer L is drawn afresh, the others start from T.
@Suite struct ReinitTests {
    @Test func reinitialisedLayerIsAFreshDrawAndFrozenLayersAreTheSource() throws {
        let dir = try temporaryDirectory()
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let tiny = ["--epochs", "1", "--train-size", "256", "--val-size", "64", "--test-size", "64", "--no-dump"]
        #expect(try runNNProbe(["train", "moons", "--hidden", "16,16", "--lr", "0.01", "--save", path("T.h5")] + tiny).status == 0)
        // Layers 0 and 1 frozen, so what was loaded (layer 0) and drawn (layer 1) is what was saved.
        for (name, seed) in [("R0.h5", "0"), ("R1.h5", "1")] {
            let r = try runNNProbe(["train", "moons", "--init-from", path("T.h5"), "--reinit", "1", "--freeze", "0,1",
                                    "--seed", seed, "--save", path(name)] + tiny)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("layer_1 re-initialised"), "\(r.stderr)")
        }
        let source = try Checkpoint.read(from: path("T.h5")).model
        let (r0, r1) = (try Checkpoint.read(from: path("R0.h5")).model, try Checkpoint.read(from: path("R1.h5")).model)
        #expect(r0.layers[0] == source.layers[0], "the frozen, not re-initialised layer is the source's")
        #expect(r0.layers[2] != source.layers[2], "the output layer trained")
        let fresh = r0.layers[1].weight.storage, trained = source.layers[1].weight.storage
        #expect(fresh.count == 16 * 16)
        #expect(zip(fresh, trained).allSatisfy { $0 != $1 }, "every re-drawn weight differs from the source's")
        #expect(r1.layers[1].weight.storage != fresh, "the fresh draw follows the seed")
        // PyTorch's nn.Linear default: U(−1/√16, 1/√16) = U(−0.25, 0.25); its std is 0.25/√3 ≈ 0.144.
        for weights in [fresh, r1.layers[1].weight.storage] {
            let values = weights.map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let std = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            #expect(values.allSatisfy { abs($0) <= 0.25 } && values.contains { abs($0) > 0.2 }, "range \(values.min()!)…\(values.max()!)")
            #expect(abs(mean) < 0.04, "mean \(mean)")   // 4σ of a mean of 256 uniforms is 0.036
            #expect(abs(std - 0.25 / 3.0.squareRoot()) < 0.02, "std \(std)")
            #expect(r0.layers[1].bias.allSatisfy { abs($0) <= 0.25 })
        }
    }
}
