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

    /// `backward` zeroes every gradient it adds to and sets the rest (`setsInputGradient`): with
    /// the gradient buffers full of NaN beforehand it gives the same bits as on fresh buffers, for
    /// every kind of net (Float: the AVX2 kernels' paths too).
    @Test func backwardReadsNoGradientItDidNotZeroOrSet() throws {
        let stacks = [Self.resnet, Self.cnn] + GradientCheckTests.cases.map { LayerStack($0.architecture.build(seed: 3)) }
        for (s, stack) in stacks.enumerated() {
            let batch = 5
            let x = ConvKernelTests.values(batch * stack.input.count, seed: UInt64(s)).map(Float.init)
            func pass(poisoned: Bool) throws -> [UInt32] {
                let net = try LayerNetwork<Float>(stack, seed: 9)
                var rng = RandomSource(seed: 0)
                let y = net.forward(x, batch: batch, training: true, dropout: &rng)
                if poisoned {
                    let w = net.workspace
                    for k in w.gradientBase..<w.values.count { w.values[k] = .nan }
                }
                net.zeroGradients()
                net.backward(y.map { $0 * 0.5 - 0.25 })
                return (net.gradients + net.inputGradient).map(\.bitPattern)
            }
            #expect(try pass(poisoned: true) == pass(poisoned: false), "stack \(s)")
        }
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

/// The MLP family as `LayerStack`s: the general description holds every kind of MLP (batch norm,
/// dropout, residual connections, multi-head) and gives it back unchanged.
@Suite struct MLPAsLayersTests {
    @Test(arguments: GradientCheckTests.cases)
    func anMLPRoundTripsThroughTheGeneralDescription(testCase: GradientCheckTests.Case) throws {
        let model = testCase.architecture.build(seed: 3)
        let layered = LayerModel(model)
        #expect(layered.mlp == model)
        #expect(layered.parameters.count == model.parameterCount)
        #expect(try LayerNetwork<Float>(layered).export() == layered)
        #expect(LayerStack(model).mlpShape?.layers.count == model.layers.count)
    }

    /// The engine draws a stack's weights, heads' read-outs included, in the order and from the
    /// stream `Architecture.build` draws an MLP's.
    @Test(arguments: [false, true])
    func theEngineDrawsAnMLPAsTheMLPBuilderDoes(multiHead: Bool) throws {
        var a = Architecture(inputs: 3, hidden: [5, 4], outputs: 2)
        a.multiHead = multiHead
        let built = a.build(seed: 7)
        #expect(try LayerNetwork<Float>(LayerStack(built), seed: 7).export() == LayerModel(built))
    }

    @Test func convStacksAreNotMLPs() {
        let stack = LayerStack(input: FeatureShape(channels: 1, height: 6, width: 6),
                               blocks: [Block([.conv2d(channels: 2, kernel: 3), .activation(.relu), .flatten]), Block([.linear(outputs: 3)])])
        #expect(stack.mlpShape == nil)
        #expect(LayerStack(input: FeatureShape(channels: 4), blocks: [Block([.linear(outputs: 3), .batchNorm])]).mlpShape == nil)
    }
}
