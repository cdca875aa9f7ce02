import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNCheckpoint

/// Dumps of layer stacks (format 2): blocks with their shapes, feature maps for the first M rows,
/// pooled channels for all N; read back whole and in row blocks, every shape checked on opening.
@Suite struct ConvDumpTests {
    static let image = FeatureShape(channels: 3, height: 4, width: 5)
    static let preImage = FeatureShape(channels: 3, height: 8, width: 10)
    static let flat = FeatureShape(channels: 6)

    /// N rows; an image block (maps of the first `mapRows`) and a flat one. `pooledRows` overrides
    /// the image block's pooled row count (to write a damaged file).
    static func sampleDump(rows n: Int, mapRows m: Int, pooledRows: Int? = nil) -> ActivationDump {
        let conv = BlockLayout(name: "block0", layers: ["block0.main.0", "block0.main.1", "block0.main.2"], shape: image, preShape: preImage)
        let dense = BlockLayout(name: "block1", layers: ["block1.main.0"], shape: flat, preShape: flat)
        let p = pooledRows ?? n
        return ActivationDump(
            sourceCheckpoint: "cnn.h5", task: "fashion-mnist", probe: .dataset("test"),
            inputs: Matrix(rows: n, cols: 7, storage: pattern(n * 7)),
            targets: Matrix(rows: n, cols: 2, storage: pattern(n * 2, offset: 1)),
            outputs: Matrix(rows: n, cols: 2, storage: pattern(n * 2, offset: 2)),
            layers: [
                LayerActivations(block: conv, post: Matrix(rows: m, cols: image.count, storage: pattern(m * image.count, offset: 3)),
                                 pre: Matrix(rows: m, cols: preImage.count, storage: pattern(m * preImage.count, offset: 4)),
                                 pooled: Matrix(rows: p, cols: 3, storage: pattern(p * 3, offset: 5)),
                                 pooledPre: Matrix(rows: n, cols: 3, storage: pattern(n * 3, offset: 6))),
                LayerActivations(block: dense, post: Matrix(rows: n, cols: 6, storage: pattern(n * 6, offset: 7)),
                                 pre: Matrix(rows: n, cols: 6, storage: pattern(n * 6, offset: 8)), pooled: nil, pooledPre: nil),
            ],
            created: "2026-12-02T00:00:00Z")
    }

    @Test func roundTripKeepsShapesMapsAndPooledChannels() throws {
        let path = try temporaryDirectory().appendingPathComponent("conv.h5").path
        let dump = Self.sampleDump(rows: 5000, mapRows: 70)   // pooled rows span two 4096-row chunks
        #expect(dump.formatVersion == 2 && dump.mapRowCount == 70)
        try dump.write(to: path)
        let reader = try ActivationDumpReader(path: path)
        #expect(reader.formatVersion == 2 && reader.rowCount == 5000 && reader.mapRowCount == 70 && reader.layerCount == 2)
        #expect(reader.blocks.map { $0?.name } == ["block0", "block1"])
        #expect(reader.blocks[0]?.layers == ["block0.main.0", "block0.main.1", "block0.main.2"])
        #expect(try reader.shape(ofLayer: 0) == Self.image && reader.shape(ofLayer: 0, pre: true) == Self.preImage)
        #expect(try reader.readAll() == dump)
        // Analyses read the pooled channels of the image block, the flat block's activations as they are.
        #expect(try reader.width(ofLayer: 0) == 3 && reader.width(ofLayer: 1) == 6)
        let pooled = dump.layers[0].pooled!
        #expect(try reader.layerRows(0, rows: 4090..<4100).storage == Array(pooled.storage[(4090 * 3)..<(4100 * 3)]))
        #expect(try reader.layerRows(0, rows: 7..<9, pre: true).storage == Array(dump.layers[0].pooledPre!.storage[21..<27]))
        #expect(try reader.layerRows(1, rows: 4999..<5000).storage == dump.layers[1].post.row(4999))
        // Maps of single rows, 4-D on disk.
        let maps = try reader.mapRows(0, rows: 69..<70)
        #expect(maps.cols == 60 && maps.storage == dump.layers[0].post.row(69))
        #expect(try reader.mapRows(0, rows: 3..<5, pre: true).storage == Array(dump.layers[0].pre.storage[(3 * 240)..<(5 * 240)]))
        #expect(throws: HDF5Error.self) { try reader.mapRows(0, rows: 69..<71) }   // past M
    }

    @Test func noMapRowsKeepsOnlyPooledChannels() throws {
        let path = try temporaryDirectory().appendingPathComponent("pooled.h5").path
        let dump = Self.sampleDump(rows: 9, mapRows: 0)
        try dump.write(to: path)
        let reader = try ActivationDumpReader(path: path)
        #expect(reader.mapRowCount == 0)
        #expect(try reader.readAll() == dump)
        #expect(try reader.layerRows(0, rows: 0..<9) == dump.layers[0].pooled!)
    }

    /// An MLP's dump stays version 1, with no block attributes.
    @Test func mlpDumpStaysVersion1() throws {
        let layer = LayerActivations(post: Matrix(rows: 4, cols: 3, storage: pattern(12)), pre: Matrix(rows: 4, cols: 3, storage: pattern(12, offset: 1)))
        let dump = ActivationDump(sourceCheckpoint: "m.h5", task: "t", probe: .dataset("test"), inputs: Matrix(rows: 4, cols: 2, storage: pattern(8)),
                                  targets: Matrix(rows: 4, cols: 3, storage: pattern(12)), outputs: Matrix(rows: 4, cols: 3, storage: pattern(12)),
                                  layers: [layer])
        #expect(dump.formatVersion == 1)
        let path = try temporaryDirectory().appendingPathComponent("mlp.h5").path
        try dump.write(to: path)
        let root = try NNProbeFile.open(path).root
        #expect(try root.integerAttribute("format_version") == 1 && !root.hasAttribute("n_map_rows"))
        #expect(try !root.group("layers").group("layer_0").hasAttribute("shape"))
        let reader = try ActivationDumpReader(path: path)
        #expect(reader.blocks == [nil] && reader.mapRowCount == 4)
        #expect(try reader.shape(ofLayer: 0) == FeatureShape(channels: 3))
    }

    /// A pooled dataset whose rows are not N is refused on opening, in one line naming it.
    @Test func pooledRowsOtherThanNAreRefused() throws {
        let path = try temporaryDirectory().appendingPathComponent("short.h5").path
        try Self.sampleDump(rows: 12, mapRows: 5, pooledRows: 11).write(to: path)
        let error = #expect(throws: FileFormatError.self) { try ActivationDumpReader(path: path) }
        #expect(error?.problem == "/layers/layer_0/pooled: shape [11, 3], expected [12, 3]")
    }

    /// A version-2 dump whose maps have more rows than N is refused (its n_map_rows is past N).
    @Test func mapRowsPastNAreRefused() throws {
        let path = try temporaryDirectory().appendingPathComponent("maps.h5").path
        try Self.sampleDump(rows: 4, mapRows: 6).write(to: path)
        let error = #expect(throws: FileFormatError.self) { try ActivationDumpReader(path: path) }
        #expect(error?.problem == "/@n_map_rows 6: expected 0...4 (the rows of /inputs)")
    }
}
