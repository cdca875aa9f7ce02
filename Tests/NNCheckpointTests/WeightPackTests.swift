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

    /// Format 2: every run's checkpoint but its gradient records (provenance, layer settings,
    /// batch norm, dropout, residuals, head sources, learning curves, dead units), equal to the file's.
    @Test func packHoldsEachRunsCheckpointButItsGradients() throws {
        let (dir, files) = try Self.makeDirectory()
        let path = try WeightPack.write(directory: dir, files: files).path
        #expect(try HDF5File.openForReading(path).integerAttribute("format_version") == 2)
        let checkpoints = try WeightPack.readCheckpoints(directory: dir, files: files)
        #expect(checkpoints.count == 5)
        for file in files {
            let fromFile = try Checkpoint.read(from: file)
            var expected = fromFile
            expected.gradients = GradientFlow(stepsKept: 0)
            #expect(checkpoints[file] == expected, "\(file)")
            #expect(fromFile.gradients.records.count == 2 && checkpoints[file]?.gradients.records.isEmpty == true)
        }
        let run2 = try #require(checkpoints[dir + "/run2.h5"])
        #expect(run2.model.layers[0].batchNorm?.runningMean == pattern(16, offset: 3) && run2.model.layers[0].dropout == 0.2)
        #expect(run2.model.layers[1].residual && run2.model.layers.map(\.activation) == [.relu, .tanh, .identity])
        #expect(run2.history.valLoss == [1.1, 0.6, 0.3] && run2.history.testAccuracy == 0.75 && run2.deadUnits == [0.125, 0])
        #expect(checkpoints[dir + "/heads3.h5"]?.model.heads.map(\.sourceLayer) == [0, 1])
        #expect(run2.config == #"{"hidden":[16,16],"lr":0.001}"# && run2.seed == 42 && run2.created == "2026-11-22T00:00:00Z")
    }

    /// A pack written by format 1 (weights only) still gives the weights, and says it has no more.
    @Test func versionOnePacksStillGiveTheirWeights() throws {
        let (dir, files) = try Self.makeDirectory()
        try Self.writeVersionOnePack(directory: dir, files: files)
        let models = try WeightPack.read(directory: dir, files: files)
        #expect(models.count == 5)
        for file in files { #expect(models[file] == (try Checkpoint.readModelTensors(from: file)), "\(file)") }
        let error = #expect(throws: WeightPack.Unusable.self) { try WeightPack.readCheckpoints(directory: dir, files: files) }
        #expect(error?.description == "it holds weights only (format_version 1); `nnprobe pack` rebuilds it")
    }

    /// The layout of format 1, as nnprobe wrote it before format 2: one group per run here.
    static func writeVersionOnePack(directory: String, files: [String]) throws {
        let models = try files.map { try Checkpoint.readModelTensors(from: $0) }
        try HDF5File.createAtomically(WeightPack.path(in: directory)) { root in
            try root.setAttribute("format", "nnprobe.pack")
            try root.setAttribute("format_version", Int64(1))
            try root.setAttribute("n_runs", Int64(files.count))
            try root.setAttribute("n_groups", Int64(files.count))
            let names = files.map { WeightPack.relative($0, to: directory) }
            try root.writeStringDataset("runs", names)
            try root.writeDataset("source_size", files.map { WeightPack.Stamp.of($0)!.size }, shape: [files.count])
            try root.writeDataset("source_mtime_ns", files.map { WeightPack.Stamp.of($0)!.modified }, shape: [files.count])
            try root.writeDataset("group", files.indices.map(Int64.init), shape: [files.count])
            try root.writeDataset("row", files.map { _ in Int64(0) }, shape: [files.count])
            let groups = try root.createGroup("groups")
            for (g, model) in models.enumerated() {
                let node = try groups.createGroup("g\(g)")
                try node.setAttribute("n_runs", Int64(1))
                try node.setAttribute("n_layers", Int64(model.layers))
                try node.setAttribute("n_heads", Int64(model.heads))
                try node.writeStringDataset("runs", [names[g]])
                var made: [String: HDF5Group] = [:]
                for tensor in model.tensors {
                    let parts = tensor.name.split(separator: "/").map(String.init)
                    let parent = try made[parts[0]] ?? node.createGroup(parts[0])
                    made[parts[0]] = parent
                    try parent.writeDataset(parts[1], tensor.values, shape: [1] + tensor.shape)
                }
            }
        }
    }

    /// Truncated and mutated packs: each read (weights, and whole checkpoints) ends in `Unusable`
    /// (the caller then reads the checkpoints) or in every run; never a crash or a trap. Flips
    /// land all over the file, so in the format-2 records too, and the curves' lengths are set
    /// past their datasets' width one at a time.
    @Test func damagedPacksAreDeclinedNotTrappedOn() throws {
        let (dir, files) = try Self.makeDirectory()
        let path = try WeightPack.write(directory: dir, files: files).path
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var variants: [[UInt8]] = [0, 8, 96, 512, 2048, original.count / 2, original.count - 1].map { Array(original.prefix($0)) }
        for i in 0..<144 {
            var damaged = original
            let position = (i &* 7919 &+ 13) % (i < 48 ? min(original.count, 6000) : original.count)
            damaged[position] ^= i.isMultiple(of: 2) ? 0xFF : 0x41
            variants.append(damaged)
        }
        // The five curves' `history/*_length` datasets hold [3, 3, 3, 3, 3] (dead units' holds 2s): one run's set to 2^40.
        let lengths = (0..<5).flatMap { _ in [UInt8(3)] + [UInt8](repeating: 0, count: 7) }
        let found = (0..<(original.count - lengths.count)).filter { original[$0..<$0 + lengths.count].elementsEqual(lengths) }
        #expect(found.count == 5, "the curves' length datasets")
        for at in found { variants.append(setting(1 << 40, at: at + 8, in: original)) }
        var declined = 0, declinedRecords = 0
        for bytes in variants {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let models = try WeightPack.read(directory: dir, files: files)
                #expect(models.count == files.count)
            } catch {
                declined += 1
            }
            do {
                let checkpoints = try WeightPack.readCheckpoints(directory: dir, files: files)
                #expect(checkpoints.count == files.count)
                for checkpoint in checkpoints.values { #expect(checkpoint.history.epochs <= 3 && checkpoint.model.layers.count <= 3) }
            } catch {
                declinedRecords += 1
            }
        }
        #expect(declined >= 7, "every truncated pack is declined")
        #expect(declinedRecords >= declined + found.count, "a damaged length is declined where the weights are still read")
    }
}
