import Foundation
import NNAnalysis
import NNModel
import Testing
@testable import NNModelAnalyses

/// Conv layers' spectra through a model: the kernels of NNAnalysisTests/Fixtures/convolution_reference.json
/// (made by make_convolution_fixtures.py: numpy's SVD of each layer's operator unrolled with
/// PyTorch's conv2d and by index arithmetic, of `weight.reshape(C_out, -1)`, and of every
/// `weight[:, :, a, b]`) placed in a one-conv model, read back by layer, and compared value by value.
@Suite struct ConvolutionLayerSpectraTests {
    /// One square-kernel case of the fixture.
    struct Case: CustomStringConvertible {
        let name: String
        let shape: [Int]
        let weights: [Double]
        let height, width, stride: Int
        /// Zero padding, or nil for circular.
        let padding: Int?
        let caveats: [String]
        let rows, cols: Int
        let operatorValues, flattened, pooled: [Double]
        var description: String { name }

        nonisolated(unsafe) static let reference = try! JSONSerialization.jsonObject(  // read-only after loading
            with: Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("NNAnalysisTests/Fixtures/convolution_reference.json"))) as! [String: Any]

        /// The cases a conv2d layer can hold: square kernels whose weights float32 stores exactly
        /// (all but the rank-one product; the JSON reader may miss the exact double by an ulp).
        static let squareKernels: [Case] = (reference["cases"] as! [[String: Any]]).compactMap { c in
            let shape = c["shape"] as! [Int]
            func doubles(_ key: String) -> [Double] { (c[key] as! [NSNumber]).map(\.doubleValue) }
            guard shape[2] == shape[3], doubles("weights").allSatisfy({ abs(Double(Float($0)) - $0) < 1e-15 }) else { return nil }
            return Case(name: c["name"] as! String, shape: shape, weights: doubles("weights"), height: c["height"] as! Int,
                        width: c["width"] as! Int, stride: c["stride"] as! Int, padding: c["padding"] as? Int,
                        caveats: c["caveats"] as! [String], rows: c["rows"] as! Int, cols: c["cols"] as! Int,
                        operatorValues: doubles("singular_values"), flattened: doubles("flattened"), pooled: doubles("pooled_positions"))
        }

        /// A model whose first layer is this conv (no bias; circular cases stored with padding
        /// (k − 1)/2), then flatten and a linear read-out of 2.
        var model: LayerModel {
            let k = shape[2]
            let stack = LayerStack(input: FeatureShape(channels: shape[1], height: height, width: width), blocks: [
                Block([.conv2d(channels: shape[0], kernel: k, stride: stride, padding: padding ?? (k - 1) / 2, bias: false), .flatten]),
                Block([.linear(outputs: 2)]),
            ])
            var model = try! LayerNetwork<Float>(stack, seed: 1).export()
            model.parameters.replaceSubrange(0..<weights.count, with: weights.map { Float($0) })   // exact: multiples of 2⁻²⁴
            return model
        }
    }

    /// Every value within `tolerance` of the largest reference value.
    func expectClose(_ got: [Double], _ want: [Double], _ tolerance: Double, _ what: String) {
        #expect(got.count == want.count, "\(what): \(got.count) values, \(want.count) expected")
        let scale = want.first ?? 1
        let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance * scale, "\(what): off by \(worst)")
    }

    @Test(arguments: Case.squareKernels)
    func viewsMatchNumpyOnTheUnrolledLayer(_ c: Case) throws {
        let weights = try ModelWeights(c.model)
        #expect(weights.matrices.map(\.name) == ["block0.main.0", "block1.main.0"])
        let settings = ConvolutionSettings(views: ConvolutionSpectrumView.allCases, circular: c.padding == nil)
        let entries = try LayerSpectrum.of(weights, convolutions: settings)
        #expect(entries.map(\.label) == ["block0.main.0 operator", "block0.main.0 flattened", "block0.main.0 pooled-positions", "block1.main.0"])
        let (op, flat, pooled) = (entries[0], entries[1], entries[2])
        #expect(op.shape == [c.rows, c.cols])
        expectClose(op.singularValues, c.operatorValues, 1e-10, "\(c) operator")
        expectClose(flat.singularValues, c.flattened, 1e-10, "\(c) flattened")
        expectClose(pooled.singularValues, c.pooled, 1e-10, "\(c) pooled")
        #expect(op.convolution?.caveats.map(\.rawValue) == c.caveats)
        #expect(op.convolution?.exact == c.caveats.isEmpty && flat.convolution?.exact == true && pooled.convolution?.exact == true)
        #expect(op.convolution?.kernel == c.shape && op.convolution?.inputSize == [c.height, c.width] && op.convolution?.stride == c.stride)
        #expect(flat.shape == [c.shape[0], c.shape[1] * c.shape[2] * c.shape[3]] && flat.convolution?.frequencyGrid == nil)
        #expect(entries[3].convolution == nil && entries[3].shape[0] == 2)
    }

    /// A ResNet on 1 × 28 × 28: blocks [1, 1], width 4.
    static let resnet: LayerModel = {
        var settings = ModelSettings()
        (settings.arch, settings.blocks, settings.baseWidth) = (.resnet, [1, 1], 4)
        return try! Architecture(inputs: 784, outputs: 10, settings: settings, inputShape: FeatureShape(channels: 1, height: 28, width: 28))
            .model(seed: 3)
    }()

    /// Stages as `Architecture` builds them (a stem, then `blocks[s]` BasicBlocks per stage), with
    /// and without residual connections, and none for a plain CNN.
    @Test(arguments: [false, true])
    func stagesAreTheArchitecturesStages(noResidual: Bool) throws {
        var settings = ModelSettings()
        (settings.arch, settings.blocks, settings.baseWidth, settings.noResidual) = (.resnet, [2, 1, 3], 4, noResidual)
        let stack = Architecture(inputs: 1024, outputs: 10, settings: settings, inputShape: FeatureShape(channels: 1, height: 32, width: 32)).stack()
        let naming = LayerNames(stack)
        #expect(naming.stages == [[1, 2], [3], [4, 5, 6]] && naming.stageNames == ["stage1", "stage2", "stage3"])
        #expect(naming.canonical("layer3.2.conv1") == ["block6.main.0"] && naming.canonical("stage2") == ["block3"])
        #expect(naming.canonical("layer3.3") == nil && naming.canonical("stage4") == nil)
        (settings.arch, settings.channels) = (.cnn, [4, 8])
        let cnn = Architecture(inputs: 1024, outputs: 10, settings: settings, inputShape: FeatureShape(channels: 1, height: 32, width: 32)).stack()
        #expect(LayerNames(cnn).stages.isEmpty && LayerNames(cnn).canonical("fc") == ["block3.main.0"])
    }

    @Test func layersByIndexNameAndBlock() throws {
        let weights = try ModelWeights(Self.resnet)
        let names = weights.matrices.map(\.name)
        #expect(names == ["block0.main.0", "block1.main.0", "block1.main.3", "block2.main.0", "block2.main.3", "block2.shortcut.0", "block3.main.1"])
        #expect(try weights.select("block2").map(\.name) == ["block2.main.0", "block2.main.3", "block2.shortcut.0"])
        #expect(try weights.select("block2.main").map(\.name) == ["block2.main.0", "block2.main.3"])
        #expect(try weights.select("block1.main.3").map(\.name) == ["block1.main.3"])
        #expect(try weights.select(3).map(\.name) == ["block2.main.0"])
        #expect(throws: AnalysisError.unknownLayer("block2.main.9", layers: names, groups: ["block0", "block1", "block2", "block3", "stage1", "stage2"])) {
            try weights.select("block2.main.9")
        }
        #expect(throws: AnalysisError.unknownLayer("block", layers: names, groups: ["block0", "block1", "block2", "block3", "stage1", "stage2"])) {
            try weights.select("block")
        }
        // Stages and torchvision's names (as SafeTensors.resNet maps them: block0 the stem, stage S
        // of BasicBlocks `layerS.I`, conv1/conv2 at main.0/main.3, downsample.0 the shortcut's conv).
        #expect(try weights.select("stage2").map(\.name) == ["block2.main.0", "block2.main.3", "block2.shortcut.0"])
        #expect(try weights.select("layer1").map(\.name) == ["block1.main.0", "block1.main.3"])
        #expect(try weights.select("layer1.0.conv2").map(\.name) == ["block1.main.3"])
        #expect(try weights.select("layer2.0.downsample.0").map(\.name) == ["block2.shortcut.0"])
        #expect(try weights.select("conv1").map(\.name) == ["block0.main.0"] && weights.select("fc").map(\.name) == ["block3.main.1"])
        for missing in ["stage3", "layer2.1.conv1", "layer1.0.conv3", "layer1.0.downsample.0"] {
            #expect(throws: AnalysisError.self) { try weights.select(.name(missing)) }
        }
        // Stored geometry: the stride-2 conv reads 28 × 28, the conv after it 14 × 14.
        let geometry = Dictionary(uniqueKeysWithValues: weights.matrices.compactMap { m in m.convolution.map { (m.name, $0) } })
        #expect(geometry["block2.main.0"] == ConvGeometry(channels: 4, height: 28, width: 28, kernel: 3, stride: 2, padding: 1))
        #expect(geometry["block2.main.3"] == ConvGeometry(channels: 8, height: 14, width: 14, kernel: 3, stride: 1, padding: 1))
        #expect(geometry["block2.shortcut.0"] == ConvGeometry(channels: 4, height: 28, width: 28, kernel: 1, stride: 2, padding: 0))
        #expect(geometry["block3.main.1"] == nil)
    }

    @Test func anotherInputSizeIsCarriedThroughTheLayers() throws {
        let weights = try ModelWeights(Self.resnet)
        let placed = try weights.convolutions(inputHeight: 32, inputWidth: 20)
        #expect(placed["block1.main.3"] == ConvGeometry(channels: 4, height: 32, width: 20, kernel: 3, stride: 1, padding: 1))
        #expect(placed["block2.main.3"] == ConvGeometry(channels: 8, height: 16, width: 10, kernel: 3, stride: 1, padding: 1))
        let entries = try LayerSpectrum.of(weights, layer: "block2", convolutions: ConvolutionSettings(inputSize: (32, 20)))
        #expect(entries.map(\.name) == ["block2.main.0", "block2.main.3", "block2.shortcut.0"])
        #expect(entries.map { $0.convolution!.inputSize } == [[32, 20], [16, 10], [32, 20]])
        #expect(entries[1].shape == [8 * 16 * 10, 8 * 16 * 10] && entries[1].singularValues.count == 1280)
        // The 1×1 stride-2 shortcut keeps one input in four: exact, a quarter of its values zero.
        let shortcut = entries[2]
        #expect(shortcut.convolution!.exact && shortcut.convolution!.frequencyGrid == [16, 10])
        #expect(shortcut.shape == [8 * 16 * 10, 4 * 32 * 20] && shortcut.singularValues.suffix(320).allSatisfy { $0 == 0 })
        // Its non-zero values are the 1×1 kernel's, each repeated on all 160 output positions.
        let kernel = weights.matrices.first { $0.name == "block2.shortcut.0" }!.weight
        let own = try kernel.singularValuesFast()
        for (i, s) in own.enumerated() { #expect(abs(shortcut.singularValues[i * 160] - s) <= 1e-12 * own[0]) }
    }

    @Test func refusalsNameTheSetting() throws {
        let weights = try ModelWeights(Self.resnet)
        #expect(throws: AnalysisError.self) { try LayerSpectrum.of(weights, convolutions: ConvolutionSettings(inputSize: (0, 5))) }
        var cnn = ModelSettings()
        (cnn.arch, cnn.channels, cnn.fc) = (.cnn, [2], [])
        let small = try ModelWeights(Architecture(inputs: 16, outputs: 2, settings: cnn, inputShape: FeatureShape(channels: 1, height: 4, width: 4)).model(seed: 0))
        let error = #expect(throws: AnalysisError.self) { try LayerSpectrum.of(small, convolutions: ConvolutionSettings(inputSize: (1, 1))) }
        #expect(error?.description.hasPrefix("input-size 1,1: block0.main.2: pooling") == true, "\(String(describing: error))")
        #expect(throws: AnalysisError.noConvolutionLayers(keys: ["view", "circular"])) {
            try LayerSpectrum.of(ModelWeights(InMemoryModel.model), convolutions: ConvolutionSettings(views: [.flattened], circular: true))
        }
        #expect(throws: AnalysisError.noConvolutionLayers(keys: ["input-size"])) {
            try LayerSpectrum.of(weights, layer: "block3", convolutions: ConvolutionSettings(inputSize: (8, 8)))
        }
        // Too many values: one line naming the layer.
        let huge = #expect(throws: AnalysisError.self) {
            try LayerSpectrum.of(weights, layer: "block1.main.0", convolutions: ConvolutionSettings(inputSize: (4000, 4000)))
        }
        #expect(huge?.description.hasPrefix("block1.main.0: a 4×4×3×3 kernel on a 4000×4000 input") == true, "\(String(describing: huge))")
    }
}
