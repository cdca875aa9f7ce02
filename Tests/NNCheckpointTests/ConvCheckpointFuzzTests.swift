import Foundation
import NNModel
import Testing
@testable import NNCheckpoint

/// Checkpoint format 2's reader (a conv net's layer description and tensors) on mutants of a real
/// conv checkpoint: flipped bytes, runs of extreme values, truncations, and a damaged `@stack`.
/// Each read either succeeds with a model whose tensors fit its layers or throws; a trap or
/// abort fails the run. Mutants come from a fixed seed (100 each; `NNPROBE_FUZZ_COUNT` sets up to 500: the full tier runs 500, and 1,000 each passed once).
@Suite struct ConvCheckpointFuzzTests {
    /// A small ResNet with stage heads and a CNN with batch norm, as `train` writes them.
    static func sources() throws -> [Checkpoint] {
        var resnet = ModelSettings()
        (resnet.arch, resnet.blocks, resnet.baseWidth, resnet.headsOn) = (.resnet, [1, 1], 2, .stages)
        var cnn = ModelSettings()
        (cnn.arch, cnn.channels, cnn.fc, cnn.batchNorm) = (.cnn, [2], [3], true)
        return try [resnet, cnn].map { settings in
            let architecture = Architecture(inputs: 64, outputs: 3, settings: settings, inputShape: FeatureShape(channels: 1, height: 8, width: 8))
            return Checkpoint(task: "fashion-mnist", seed: 0, config: "{}", model: try architecture.model(seed: 1))
        }
    }

    @Test func mutantsOfConvCheckpointsReadOrFailInOneError() throws {
        let count = ProcessInfo.processInfo.environment["NNPROBE_FUZZ_COUNT"].flatMap(Int.init).map { min($0, 500) } ?? 100
        let directory = try temporaryDirectory()
        var rng = RandomSource(seed: 0xC0_4E2D)
        var read = 0, refused = 0
        for (s, source) in try Self.sources().enumerated() {
            let original = directory.appendingPathComponent("source\(s).h5").path
            try source.write(to: original)
            #expect(try Checkpoint.read(from: original, convNets: true).layers == source.layers)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
            for i in 0..<count {
                var mutant = bytes
                switch i % 3 {
                case 0:   // a few flipped bytes
                    for _ in 0..<(1 + rng.index(below: 4)) { mutant[rng.index(below: mutant.count)] ^= UInt8(1 + rng.index(below: 255)) }
                case 1:   // a run of 0xFF or 0x7F (huge sizes and offsets)
                    let start = rng.index(below: mutant.count - 8)
                    for k in 0..<8 { mutant[start + k] = k == 7 ? 0x7F : 0xFF }
                default:  // truncated
                    mutant = Array(mutant.prefix(rng.index(below: mutant.count)))
                }
                let path = directory.appendingPathComponent("mutant\(s)-\(i).h5").path
                try Data(mutant).write(to: URL(fileURLWithPath: path))
                do {
                    let checkpoint = try Checkpoint.read(from: path, convNets: true)
                    let layers = try #require(checkpoint.layers)
                    #expect(try LayerNetwork<Float>(layers).parameters.count == layers.parameters.count)
                    _ = try Checkpoint.readWeights(from: path)
                    read += 1
                } catch {
                    #expect("\(error)".hasPrefix(path) && !"\(error)".contains("\n"), "\(error)")
                    refused += 1
                }
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        #expect(read + refused == 2 * count && refused > 0)
    }

    /// A layer description that asks for absurd sizes is refused, naming `@stack`, before anything
    /// is built from it (the file holds no tensors: the sizes alone must stop the read).
    @Test func absurdStacksAreRefusedBeforeAllocating() throws {
        let directory = try temporaryDirectory()
        let stack = try #require(try Self.sources()[1].layers).stack
        for (change, absurd) in [("\"channels\":2", "\"channels\":2000000000"), ("\"kernel\":3", "\"kernel\":100000"),
                                 ("\"outputs\":3", "\"outputs\":-1"), ("[1,8,8]", "[1,1073741824,1073741824]"),
                                 ("\"op\":\"flatten\"", "\"op\":\"teleport\"")] {
            let text = try stack.jsonText()
            #expect(text.contains(change), "\(change) not in \(text)")
            let path = directory.appendingPathComponent("absurd.h5").path
            try HDF5File.createAtomically(path) { root in
                for (name, value) in [("format", "nnprobe.checkpoint"), ("nnprobe_version", "test"), ("created", "now"),
                                      ("task", "fashion-mnist"), ("config", "{}")] {
                    try root.setAttribute(name, value)
                }
                try root.setAttribute("format_version", Int64(2))
                try root.setAttribute("seed", Int64(0))
                let model = try root.createGroup("model")
                try model.setAttribute("kind", "layers")
                try model.setAttribute("stack", text.replacingOccurrences(of: change, with: absurd))
            }
            #expect(throws: FileFormatError.self) { try Checkpoint.read(from: path, convNets: true) }
            do { _ = try Checkpoint.read(from: path, convNets: true) } catch {
                #expect("\(error)".contains("@stack"), "\(error)")
            }
        }
    }
}
