import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNCheckpoint

/// The classic-layout reader (`ClassicHDF5Image`) against the HDF5 library on the same files:
/// files it reads give exactly the library's values, and files it does not (or damaged ones)
/// are declined, never misread or trapped on.
@Suite struct ClassicHDF5Tests {
    /// Layouts written by h5py (Fixtures/make_fixtures.py) and whether the classic reader takes them.
    static let layouts: [(name: String, classic: Bool)] = [
        ("default", true), ("userblock", true), ("fixed_strings", true), ("compact", true),
        ("latest", false),          // superblock 3, version-2 object headers
        ("track_order", false),     // creation-order indexes: attributes may be stored densely
        ("chunked_gzip", false), ("float64", false), ("big_endian", false),
    ]

    func weights(_ named: [Checkpoint.NamedWeight]) -> [[Float]] { named.map(\.weight.storage) }
    func shapes(_ named: [Checkpoint.NamedWeight]) -> [[Int]] { named.map { [$0.weight.rows, $0.weight.cols] } }

    @Test(arguments: layouts.map(\.name))
    func h5pyLayoutsReadAsTheLibraryReadsThem(name: String) throws {
        let path = fixture("layouts/\(name).h5")
        let expected = try JSONDecoder().decode([[[Double]]].self, from: Data(contentsOf: URL(fileURLWithPath: fixture("layouts/weights.json"))))
        let library = try Checkpoint.readWeightsWithLibrary(from: path)
        #expect(weights(library) == expected.map { $0.flatMap { $0.map(Float.init) } })
        #expect(shapes(library) == expected.map { [$0.count, $0[0].count] })

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let classic = try? Checkpoint.readWeightsWithoutLibrary(bytes)
        #expect((classic != nil) == Self.layouts.first { $0.name == name }!.classic)
        if let classic {
            #expect(weights(classic) == weights(library))
            #expect(shapes(classic) == shapes(library))
            #expect(classic.map(\.name) == ["layer_0", "layer_1"])
        }
        #expect(weights(try Checkpoint.readWeights(from: path)) == weights(library))
    }

    @Test(arguments: [false, true])
    func nnprobeCheckpointsReadWithoutTheLibrary(multiHead: Bool) throws {
        let path = try temporaryDirectory().appendingPathComponent("ckpt.h5").path
        let checkpoint = sampleCheckpoint(multiHead: multiHead)
        try checkpoint.write(to: path)
        let classic = try Checkpoint.readWeightsWithoutLibrary([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        let model = checkpoint.model
        #expect(weights(classic) == model.layers.map(\.weight.storage) + model.heads.map(\.weight.storage))
        #expect(classic.map(\.isHead) == model.layers.map { _ in false } + model.heads.map { _ in true })
        #expect(weights(classic) == weights(try Checkpoint.readWeightsWithLibrary(from: path)))
    }

    /// 300 layers (2 × 2, so that they chain): the model group's symbol table spans many symbol table nodes and a two-level B-tree.
    @Test func largeGroupsReadWithoutTheLibrary() throws {
        let layers = (0..<300).map { i in
            DenseLayer(weight: Matrix(rows: 2, cols: 2, storage: [Float(i), -Float(i) / 7, 1, 0]), bias: [0, 0], activation: .relu)
        }
        var checkpoint = sampleCheckpoint()
        checkpoint.model = MLP(layers: layers)
        let path = try temporaryDirectory().appendingPathComponent("deep.h5").path
        try checkpoint.write(to: path)
        let classic = try Checkpoint.readWeightsWithoutLibrary([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(weights(classic) == layers.map(\.weight.storage))
        #expect(classic.map(\.name) == (0..<300).map { "layer_\($0)" })
    }

    /// Every third single-byte change of a checkpoint either reads or is declined, never traps; every
    /// truncation is declined (the library then reports the truncated file).
    @Test func damagedFilesAreDeclinedNotTrappedOn() throws {
        let path = try temporaryDirectory().appendingPathComponent("ckpt.h5").path
        try sampleCheckpoint(multiHead: true).write(to: path)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var declined = 0
        for position in stride(from: 0, to: original.count, by: 3) {
            var damaged = original
            damaged[position] ^= 0xFF
            if (try? Checkpoint.readWeightsWithoutLibrary(damaged)) == nil { declined += 1 }
        }
        #expect(declined > 50)
        for length in stride(from: 0, to: original.count, by: 7) {
            #expect((try? Checkpoint.readWeightsWithoutLibrary(Array(original.prefix(length)))) == nil, "read with \(length) bytes")
        }
    }
}
