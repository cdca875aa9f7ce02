import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks
import Testing
@testable import NNModelAnalyses

/// Conv nets' dumps built in memory: one entry per block with its name, layers and shape; feature
/// maps for the first M rows only; pooled channels (the spatial means of the maps, summed here in
/// Float64) for every row. The values themselves are checked against numpy in
/// Tests/interop/test_conv_dump.py.
@Suite struct ConvDumpBuilderTests {
    /// A ResNet [1, 1] of base width 2 on 1 × 6 × 6 inputs, or study 002's CNN shape (one conv
    /// block ending in flatten, one fully connected block), seeded.
    static func network(_ family: ModelFamily) throws -> LayerNetwork<Float> {
        var settings = ModelSettings()
        settings.arch = family
        settings.batchNorm = true
        (settings.blocks, settings.baseWidth) = ([1, 1], 2)
        (settings.channels, settings.fc) = ([3], [5])
        let architecture = Architecture(inputs: 36, outputs: 4, settings: settings, inputShape: FeatureShape(channels: 1, height: 6, width: 6))
        return try LayerNetwork<Float>(architecture.model(seed: 11))
    }

    static func inputs(rows: Int) -> [Float] {
        (0..<(rows * 36)).map { Float(sin(Double($0) * 0.37)) }
    }

    @Test func resnetBlocksKeepMapsForTheFirstRowsAndPooledChannelsForAll() throws {
        let network = try Self.network(.resnet)
        let n = 23, m = 5
        let dump = DumpBuilder.assembleForTest(network, inputs: Self.inputs(rows: n), mapRows: m)
        #expect(dump.formatVersion == 2 && dump.rowCount == n && dump.mapRowCount == m)
        // Stem, stage 1 (2 × 6 × 6), stage 2 (stride 2: 4 × 3 × 3), then pool + read-out.
        #expect(dump.layers.map { $0.block?.name } == ["block0", "block1", "block2", "block3"])
        #expect(dump.layers.map { $0.block!.shape } == [FeatureShape(channels: 2, height: 6, width: 6), FeatureShape(channels: 2, height: 6, width: 6),
                                                        FeatureShape(channels: 4, height: 3, width: 3), FeatureShape(channels: 4)])
        #expect(dump.layers[2].block!.layers == ["block2.main.0", "block2.main.1", "block2.main.2", "block2.main.3", "block2.main.4",
                                                 "block2.shortcut.0", "block2.shortcut.1", "block2.after.0"])
        // The basic block's pre-activation is its first ReLU's input, inside the main path.
        #expect(dump.layers[2].block!.preShape == FeatureShape(channels: 4, height: 3, width: 3))
        #expect(dump.layers[3].block!.preShape == FeatureShape(channels: 4) && dump.layers[3].pre == dump.layers[3].post)
        for layer in dump.layers.prefix(3) {
            let shape = layer.block!.shape
            #expect(layer.post.rows == m && layer.post.cols == shape.count)
            #expect(layer.pooled!.rows == n && layer.pooled!.cols == shape.channels)
            for row in 0..<m {
                for c in 0..<shape.channels {
                    let values = (0..<shape.positions).map { Double(layer.post[row, c * shape.positions + $0]) }
                    let mean = values.reduce(0, +) / Double(shape.positions)
                    #expect(close(Double(layer.pooled![row, c]), mean, 1e-6))
                }
            }
        }
        // The output block is flat: every row, and the model's predictions.
        #expect(dump.layers[3].post.rows == n && dump.layers[3].post == dump.outputs)
        #expect(dump.outputs.storage == network.predictions(for: Self.inputs(rows: n)))
    }

    /// Maps and pooled channels of a row do not depend on how many rows keep maps, nor on the rows beside it.
    @Test func rowsAgreeWhateverTheMapRowCount() throws {
        let network = try Self.network(.resnet)
        let all = DumpBuilder.assembleForTest(network, inputs: Self.inputs(rows: 9), mapRows: 512)
        let none = DumpBuilder.assembleForTest(network, inputs: Self.inputs(rows: 9), mapRows: 0)
        let two = DumpBuilder.assembleForTest(network, inputs: Array(Self.inputs(rows: 9).prefix(72)), mapRows: 2)
        #expect(all.mapRowCount == 9 && none.mapRowCount == 0 && none.layers[1].post.rows == 0)
        for b in 0..<3 {
            #expect(all.layers[b].pooled == none.layers[b].pooled)
            for row in 0..<2 {
                for (x, y) in zip(all.layers[b].post.row(row), two.layers[b].post.row(row)) { #expect(close(Double(x), Double(y), 1e-6)) }
            }
        }
    }

    /// A CNN's conv block ends in `flatten`: stored with the shape before it; its fully connected block is flat.
    @Test func cnnBlockEndingInFlattenKeepsItsImageShape() throws {
        let network = try Self.network(.cnn)
        let dump = DumpBuilder.assembleForTest(network, inputs: Self.inputs(rows: 4), mapRows: 3)
        #expect(dump.layers.map { $0.block!.shape } == [FeatureShape(channels: 3, height: 3, width: 3), FeatureShape(channels: 5), FeatureShape(channels: 4)])
        #expect(dump.layers[0].block!.preShape == FeatureShape(channels: 3, height: 6, width: 6))
        #expect(dump.layers[0].block!.layers == ["block0.main.0", "block0.main.1", "block0.main.2", "block0.main.3", "block0.after.0"])
        #expect(dump.layers[0].pooledPre!.rows == 4 && dump.layers[1].pooled == nil && dump.layers[1].post.rows == 4)
        // The features analyses read: pooled channels for the conv block, activations for the others.
        #expect(dump.layers.map { $0.features().cols } == [3, 5, 4])
        // The memory the dump needs, counted by hand: inputs (36) and outputs (4) per row; the conv
        // block's maps (27 after pooling, 108 before) for 3 rows and its 3 + 3 channel means for all
        // 10; the flat blocks' 5 + 5 and 4 + 4 values per row; and one evaluation chunk's 256 MiB.
        let perRow: Double = 36 + 4 + 3 + 3 + 5 + 5 + 4 + 4
        let maps: Double = 27 + 108
        let counted = 10 * perRow + 3 * maps
        #expect(DumpBuilder.bytes(of: network.stack, rows: 10, mapRows: 3) == 4 * counted + Double(256 << 20))
        #expect(DumpBuilder.blockLayouts(network.stack) == dump.layers.map { $0.block! })
    }
}

extension DumpBuilder {
    /// A test-split dump of `inputs` with no targets.
    static func assembleForTest(_ network: LayerNetwork<Float>, inputs: [Float], mapRows: Int) -> ActivationDump {
        let data = Dataset(inputs: inputs, targets: [Float](repeating: 0, count: inputs.count / 36 * 4), inputWidth: 36, outputWidth: 4)
        return dataset(network, data: data, split: .test, task: "synthetic", source: "memory", mapRows: mapRows)
    }
}
