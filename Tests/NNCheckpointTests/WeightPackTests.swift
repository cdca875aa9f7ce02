import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNCheckpoint

/// The pack of a directory's weights (`WeightPack`, format `nnprobe.pack`): what it holds equals
/// the checkpoints, and it is used only while it matches them.
@Suite struct WeightPackTests {
    /// Three single-head checkpoints (batch norm in layer 0) and two multi-head ones, each with its
    /// own values, in `dir` (two of them in a subdirectory); the listing in natural order.
    static func makeDirectory() throws -> (directory: String, files: [String]) {
        let dir = try temporaryDirectory()
        let names = ["run2.h5", "run10.h5", "sub/run1.h5", "heads3.h5", "sub/heads12.h5"]
        for (i, name) in names.enumerated() {
            var checkpoint = sampleCheckpoint(multiHead: name.contains("heads"))
            checkpoint.model.layers[0].weight[0, 0] = Float(i) + 0.5
            checkpoint.model.layers[0].bias[1] = -Float(i)
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try checkpoint.write(to: url.path)
        }
        let files = names.map { dir.path + "/" + $0 }.sortedNaturally { $0 }
        return (dir.path, files)
    }

    @Test func packHoldsEveryCheckpointsTensorsGroupedByShape() throws {
        let (dir, files) = try Self.makeDirectory()
        let written = try WeightPack.write(directory: dir, files: files)
        #expect(written.path == dir + "/sweep-pack.hdf5" && written.runs == 5 && written.groups.map(\.runs) == [2, 3])
        let models = try WeightPack.read(directory: dir, files: files)
        #expect(models.count == files.count)
        for file in files {
            let fromFile = try Checkpoint.readModelTensors(from: file)
            #expect(models[file] == fromFile, "\(file)")
            let weights = try Checkpoint.readWeights(from: file)
            #expect(models[file]!.weights.map(\.name) == weights.map(\.name))
            #expect(models[file]!.weights.map(\.weight) == weights.map(\.weight))
            #expect(models[file]!.weights.map(\.isHead) == weights.map(\.isHead))
        }
        let single = models[dir + "/run2.h5"]!
        #expect(single.tensors.map(\.name).prefix(6) == ["layer_0/weight", "layer_0/bias", "layer_0/gamma", "layer_0/beta",
                                                          "layer_0/running_mean", "layer_0/running_var"])
        // The file itself: run names in listing order, stacked shapes.
        let root = try HDF5File.openForReading(written.path)
        #expect(try root.stringAttribute("format") == "nnprobe.pack")
        #expect(try root.dataset("runs").readStrings() == ["heads3.h5", "run2.h5", "run10.h5", "sub/heads12.h5", "sub/run1.h5"])
        #expect(try root.dataset("groups/g0/head_1/weight").shape() == [2, 2, 16])
        #expect(try root.dataset("groups/g1/layer_2/weight").shape() == [3, 2, 16])
        #expect(try root.dataset("group").read(as: Int64.self) == [0, 1, 1, 0, 1])
    }

    @Test func packNoLongerMatchingTheDirectoryIsNotUsed() throws {
        let (dir, files) = try Self.makeDirectory()
        #expect(throws: WeightPack.Unusable.self) { try WeightPack.read(directory: dir, files: files) }
        _ = try WeightPack.write(directory: dir, files: files)
        #expect(try WeightPack.read(directory: dir, files: files).count == 5)
        // Another listing (a checkpoint added or removed since packing).
        #expect(throws: WeightPack.Unusable.self) { try WeightPack.read(directory: dir, files: Array(files.dropLast())) }
        #expect(throws: WeightPack.Unusable.self) { try WeightPack.read(directory: dir, files: files + [dir + "/zz.h5"]) }
        // A checkpoint touched (same bytes, new time) …
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: files[2])
        #expect(throws: WeightPack.Unusable.self) { try WeightPack.read(directory: dir, files: files) }
        _ = try WeightPack.write(directory: dir, files: files)
        #expect(try WeightPack.read(directory: dir, files: files).count == 5)
        // … or replaced by another run.
        try sampleCheckpoint().write(to: files[1])
        #expect(throws: WeightPack.Unusable.self) { try WeightPack.read(directory: dir, files: files) }
    }

    @Test func packingStopsAtAnUnreadableCheckpointAndWritesNothing() throws {
        let (dir, files) = try Self.makeDirectory()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: files[3]))
        #expect(throws: FileFormatError.self) { try WeightPack.write(directory: dir, files: files) }
        #expect(!FileManager.default.fileExists(atPath: WeightPack.path(in: dir)))
        #expect(throws: FileFormatError.self) { try WeightPack.write(directory: dir, files: []) }
    }

    /// Truncated and mutated packs: each read ends in `Unusable` (the caller then reads the
    /// checkpoints) or in models; never a crash or a trap.
    @Test func damagedPacksAreDeclinedNotTrappedOn() throws {
        let (dir, files) = try Self.makeDirectory()
        let path = try WeightPack.write(directory: dir, files: files).path
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var variants: [[UInt8]] = [0, 8, 96, 512, 2048, original.count / 2, original.count - 1].map { Array(original.prefix($0)) }
        for i in 0..<48 {
            var damaged = original
            let position = (i &* 7919 &+ 13) % min(original.count, 6000)
            damaged[position] ^= i.isMultiple(of: 2) ? 0xFF : 0x41
            variants.append(damaged)
        }
        var declined = 0
        for bytes in variants {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let models = try WeightPack.read(directory: dir, files: files)
                #expect(models.count == files.count)
            } catch {
                declined += 1
            }
        }
        #expect(declined >= 7, "every truncated pack is declined")
    }
}
