import NNLinalg
import Testing
@testable import NNModel

/// Models described as blocks of layers: shapes, and gradients of whole conv nets and ResNet
/// blocks against central differences (Float64, batch statistics).
@Suite struct LayerNetworkTests {
    /// A small ResNet: a conv stem, an identity BasicBlock, a downsampling BasicBlock with a
    /// 1×1 projection, global average pooling and a linear read-out.
    static let resnet = LayerStack(input: FeatureShape(channels: 2, height: 6, width: 6), blocks: [
        Block([.conv2d(channels: 4, kernel: 3, padding: 1), .batchNorm, .activation(.relu)]),
        .basic(from: 4, to: 4),
        .basic(from: 4, to: 6, stride: 2),
        Block([.globalAvgPool, .linear(outputs: 3)]),
    ])

    /// Study 002's shape of CNN: conv, pooling, flatten, two fully connected layers.
    static let cnn = LayerStack(input: FeatureShape(channels: 1, height: 7, width: 7), blocks: [
        Block([.conv2d(channels: 3, kernel: 3, stride: 1, padding: 0), .activation(.tanh), .maxPool(kernel: 2, stride: 2),
               .conv2d(channels: 2, kernel: 2, padding: 1), .activation(.gelu), .avgPool(kernel: 2, stride: 1),
               .flatten, .linear(outputs: 5), .batchNorm, .activation(.relu), .dropout(0), .linear(outputs: 2)]),
    ])

    @Test func shapesFollowTheLayers() throws {
        let layers = try Self.resnet.layers().get()
        #expect(layers.map(\.name).prefix(4) == ["block0.main.0", "block0.main.1", "block0.main.2", "block1.main.0"])
        #expect(layers.first { $0.name == "block2.shortcut.0" }?.output == FeatureShape(channels: 6, height: 3, width: 3))
        #expect(Self.resnet.outputShape == FeatureShape(channels: 3))
        #expect(Self.cnn.outputShape == FeatureShape(channels: 2))
        // 4·2·9 + 4 + 8 · 2·(4·4·9 + 8) · 6·4·9 + 12 + 6·6·9 + 12 + 6·4 + 12 · 6·3 + 3
        #expect(Self.resnet.parameterCount == 84 + 304 + 600 + 21)
        let bad = LayerStack(input: FeatureShape(channels: 3, height: 4, width: 4), blocks: [Block([.linear(outputs: 2)])])
        #expect(bad.layers().failure?.description == "block0.main.0: linear needs flat features, not 3×4×4 (flatten or pool first)")
        let tooSmall = LayerStack(input: FeatureShape(channels: 1, height: 2, width: 2), blocks: [Block([.conv2d(channels: 1, kernel: 5)])])
        #expect(tooSmall.layers().failure?.description.contains("does not fit") == true)
    }

    func expectGradientsMatch(_ stack: LayerStack, batch: Int, seed: UInt64) throws {
        let net = try LayerNetwork<Double>(stack, seed: seed)
        var x = ConvKernelTests.values(batch * stack.input.count, seed: seed + 1)
        let r = ConvKernelTests.values(batch * net.outputWidth, seed: seed + 2)
        var rng = RandomSource(seed: 0)
        func loss() -> Double { zip(net.forward(x, batch: batch, training: true, dropout: &rng), r).reduce(0) { $0 + $1.0 * $1.1 } }
        _ = loss()
        net.zeroGradients()
        net.backward(r)
        let (dParameters, dInputs) = (net.gradients, net.inputGradient)
        func central(_ nudge: (Double) -> Void) -> Double { centralDifference(of: loss, nudge: nudge) }
        var worst = 0.0
        for i in net.parameters.indices {
            let fd = central { net.parameters[i] += $0 }
            worst = max(worst, abs(fd - dParameters[i]) / max(1, abs(fd)))
        }
        for i in x.indices {
            let fd = central { x[i] += $0 }
            worst = max(worst, abs(fd - dInputs[i]) / max(1, abs(fd)))
        }
        #expect(worst < 1e-6, "largest difference \(worst)")
    }

    @Test func resnetBlocksMatchCentralDifferences() throws {
        try expectGradientsMatch(Self.resnet, batch: 3, seed: 5)
    }

    @Test func cnnMatchesCentralDifferences() throws {
        try expectGradientsMatch(Self.cnn, batch: 4, seed: 9)
    }

    /// With γ = 0 on its last batch norm, a residual block starts as ReLU of its shortcut (the identity here).
    @Test func zeroInitialisedResidualBranchStartsAsTheShortcut() throws {
        let stack = LayerStack(input: FeatureShape(channels: 3, height: 4, width: 4),
                               blocks: [.basic(from: 3, to: 3, zeroInitResidual: true)])
        let net = try LayerNetwork<Double>(stack, seed: 1)
        let x = ConvKernelTests.values(2 * 48, seed: 3)
        var rng = RandomSource(seed: 0)
        let out = net.forward(x, batch: 2, training: true, dropout: &rng)
        #expect(zip(out, x).allSatisfy { abs($0 - max(0, $1)) < 1e-15 })
        let plain = try LayerNetwork<Double>(LayerStack(input: stack.input, blocks: [.basic(from: 3, to: 3, residual: false)]), seed: 1)
        #expect(plain.tensors.map(\.name) == ["block0.main.0.weight", "block0.main.1.weight", "block0.main.1.bias",
                                              "block0.main.3.weight", "block0.main.4.weight", "block0.main.4.bias"])
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}

/// The MLP family as `LayerStack`s: the general engine computes what `Network` computes, for
/// every kind of MLP (batch norm, dropout, residual connections, multi-head).
@Suite struct MLPAsLayersTests {
    @Test(arguments: GradientCheckTests.cases)
    func theLayerEngineComputesWhatTheMLPEngineDoes(testCase: GradientCheckTests.Case) throws {
        let rows = 7
        let model = testCase.architecture.build(seed: 3)
        let mlp = Network<Double>(model), layered = try LayerNetwork<Double>(copying: model)
        #expect(layered.tensors.map(\.count) == mlp.layout.tensors.map(\.count))
        var rng = RandomSource(seed: 4)
        let inputs = (0..<(rows * 3)).map { _ in rng.uniform(-1, 1) }
        let ws = Workspace<Double>(layout: mlp.layout, capacity: rows)
        for r in 0..<rows {
            ws.setInput(row: r, inputs[(r * 3)..<(r * 3 + 3)])
            ws.setTargets(row: r, (0..<2).map { _ in rng.uniform(-1, 1) })
        }
        for training in [true, false] {
            var masks: RandomSource? = RandomSource(seed: 9), sameMasks = RandomSource(seed: 9)
            mlp.forward(ws, rows: rows, training: training, dropout: &masks)
            let out = layered.forward(inputs, batch: rows, training: training, dropout: &sameMasks)
            #expect(out == Array(ws.outputs(rows: rows)), "training: \(training)")
        }
        // Backward from the same loss gradient, after the same training-mode forward.
        var masks: RandomSource? = RandomSource(seed: 9), sameMasks = RandomSource(seed: 9)
        mlp.forward(ws, rows: rows, training: true, dropout: &masks)
        _ = layered.forward(inputs, batch: rows, training: true, dropout: &sameMasks)
        _ = mlp.score(ws, rows: rows, loss: .mse, tolerance: 0, gradient: true)
        let dOut = Array(ws.arena[ws.dOutput..<(ws.dOutput + rows * 2)])
        mlp.zeroGradients()
        mlp.backward(ws, rows: rows)
        layered.zeroGradients()
        layered.backward(dOut)
        // Equal up to the order residual and head gradients are summed in.
        let worst = zip(mlp.gradients, layered.gradients).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
        #expect(worst < 1e-13, "largest difference \(worst)")
        #expect(mlp.state == layered.state)
    }
}
