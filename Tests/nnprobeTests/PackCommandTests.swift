import Foundation
import NNCheckpoint
import Testing
@testable import nnprobe

/// `nnprobe pack`, and `svd` / `norms` over a packed directory: the same output whichever way
/// the weights were read (issue 16, part 4).
@Suite struct PackCommandTests {
    /// A sweep of three runs (which packs itself when it ends).
    static func sweep() throws -> String {
        let dir = try temporaryDirectory().appendingPathComponent("sweep").path
        let trained = try runNNProbe(["train", "multi-mult", "--epochs", "1", "--train-size", "256", "--seeds", "0..2", "--save", dir])
        #expect(trained.status == 0, "\(trained.stderr)")
        return dir
    }

    /// How many of the directory's checkpoints the analyses would read from its pack.
    static func packedCount(_ dir: String) throws -> Int {
        var inputs = try CheckpointInputs.parse([dir])
        inputs.paths = [dir]
        return try inputs.resolvePacked().packed.count
    }

    @Test func svdAndNormsAreTheSameWithAndWithoutThePack() throws {
        let dir = try Self.sweep()
        let pack = WeightPack.path(in: dir)
        #expect(FileManager.default.fileExists(atPath: pack), "the sweep wrote no pack")
        #expect(try Self.packedCount(dir) == 3)
        var outputs: [String: [String]] = [:]
        for command in ["svd", "norms"] {
            let packed = try runNNProbe([command, dir, "--json"])
            #expect(packed.status == 0 && packed.stderr.isEmpty, "\(packed.stderr)")
            outputs[command] = [packed.stdout]
        }
        // Stale: a checkpoint touched after packing.
        let first = try CheckpointInputs.checkpoints(in: dir)[0]
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3)], ofItemAtPath: first)
        #expect(try Self.packedCount(dir) == 0)
        for command in ["svd", "norms"] { outputs[command]!.append(try runNNProbe([command, dir, "--json"]).stdout) }
        // Absent.
        try FileManager.default.removeItem(atPath: pack)
        for command in ["svd", "norms"] { outputs[command]!.append(try runNNProbe([command, dir, "--json"]).stdout) }
        // Damaged: read file by file, silently.
        try Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).write(to: URL(fileURLWithPath: pack))
        #expect(try Self.packedCount(dir) == 0)
        for command in ["svd", "norms"] {
            let result = try runNNProbe([command, dir, "--json"])
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
            outputs[command]!.append(result.stdout)
        }
        // Rebuilt by `nnprobe pack`.
        let packed = try runNNProbe(["pack", dir])
        #expect(packed.status == 0 && packed.stdout.contains("packed 3 checkpoints"), "\(packed.stderr)")
        #expect(try Self.packedCount(dir) == 3)
        for command in ["svd", "norms"] { outputs[command]!.append(try runNNProbe([command, dir, "--json"]).stdout) }
        for (command, texts) in outputs {
            #expect(texts.count == 5 && Set(texts).count == 1, "\(command) differs between packed and per-file reads")
            #expect(texts[0].contains("\"\(first)\""), "\(command): the files are named as listed")
        }
        // Text output too.
        #expect(try runNNProbe(["svd", dir]).stdout == runNNProbe(["svd"] + CheckpointInputs.checkpoints(in: dir)).stdout)
    }

    @Test func packGroupsRunsOfTwoArchitectures() throws {
        let dir = try temporaryDirectory().appendingPathComponent("widths")
        for (width, seed) in [(8, 0), (16, 1), (8, 2)] {
            let result = try runNNProbe(["train", "multi-mult", "--hidden", "\(width)", "--epochs", "1", "--train-size", "256",
                                         "--seed", "\(seed)", "--no-dump", "--save", dir.appendingPathComponent("w\(width)-s\(seed).h5").path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let result = try runNNProbe(["pack", dir.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let groups = report["groups"] as! [[String: Any]]
        #expect(report["runs"] as? Int == 3 && groups.map { $0["runs"] as? Int } == [2, 1])
        #expect((groups[1]["shapes"] as! [String: [Int]])["layer_0/weight"] == [16, 4])
        #expect(try Self.packedCount(dir.path) == 3)
        #expect(try runNNProbe(["svd", dir.path, "--json"]).stdout
                == runNNProbe(["svd"] + CheckpointInputs.checkpoints(in: dir.path) + ["--json"]).stdout)
    }

    @Test func packingNothingIsOneClearLine() throws {
        let dir = try temporaryDirectory()
        let empty = try runNNProbe(["pack", dir.path])
        #expect(empty.status == 1 && empty.stdout.isEmpty)
        #expect(empty.stderr == "nnprobe: error: \(dir.path): no checkpoints (.h5) in this directory\n", "\(empty.stderr)")
        try Data("not hdf5".utf8).write(to: dir.appendingPathComponent("bad.h5"))
        let bad = try runNNProbe(["pack", dir.path])
        #expect(bad.status == 1 && bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("bad.h5"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: WeightPack.path(in: dir.path)))
    }

    /// Conv nets are not packed (a sweep of them skips the pack): `pack` says so in one line.
    @Test func packingAConvNetIsOneClearLine() throws {
        let dir = try temporaryDirectory()
        let checkpoint = dir.appendingPathComponent("cnn.h5").path
        let trained = try runNNProbe(["train", "fashion-mnist", "--arch", "cnn", "--channels", "2", "--fc", "4", "--epochs", "1",
                                      "--train-size", "64", "--val-size", "16", "--test-size", "16", "--save", checkpoint, "--no-dump"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let packed = try runNNProbe(["pack", dir.path])
        #expect(packed.status == 1 && packed.stderr
            == "nnprobe: error: \(checkpoint): a conv net's checkpoint (format 2): packs hold MLP checkpoints only; analyses read conv checkpoints one by one\n",
            "\(packed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: WeightPack.path(in: dir.path)))
    }
}
