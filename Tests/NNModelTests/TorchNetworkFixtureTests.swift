import Foundation
import NNLinalg
import Testing
import NNModel

/// Whole conv nets against PyTorch on the same weights and batch
/// (Fixtures/make_torch_network_fixtures.py, float64 autograd): ResNets of the `resnet` family
/// (one head, heads on every stage, no shortcuts), study 002's `cnn` family, and a stack with
/// batch norm after convolutions and a linear layer and an average pooling. One training step —
/// forward with batch statistics, cross-entropy, backward — then an eval-mode forward; in Float
/// on oneDNN (both layouts) and on nnprobe's kernels, and in Double on nnprobe's kernels.
///
/// Weights load by name: nnprobe's tensor list must be PyTorch's `named_parameters()` list
/// under the script's mapping, in the same order and shapes. Differences are measured relative
/// to the reference tensor's largest magnitude; a gradient that is zero but for rounding (a bias
/// feeding a batch norm) is measured against the network's largest gradient instead.
@Suite struct TorchNetworkFixtureTests {
    struct Reference: Decodable {
        let torch: String
        let batch: Int
        let inputShape: [Int]
        let classes: Int
        let inputs: [Double]
        let labels: [Int32]
        let cases: [Case]
    }

    struct Case: Decodable {
        let name: String
        let tensors: [Tensor]
        let batchNorms: [BatchNormState]
        let logits: [Double]
        let loss: Double
        let evalLogits: [Double]
        /// How far PyTorch itself in float32 lands from the float64 reference.
        let torchFloat32: [String: Double]
    }

    struct Tensor: Decodable {
        /// nnprobe's name, and PyTorch's.
        let name: String
        let torch: String
        let shape: [Int]
        /// float32 values.
        let value: [Double]
        let gradient: [Double]
    }

    struct BatchNormState: Decodable {
        let name: String
        let torch: String
        /// Before the training step (float32 values), and after it.
        let runningMean: [Double]
        let runningVar: [Double]
        let runningMeanAfter: [Double]
        let runningVarAfter: [Double]
    }

    /// Largest differences allowed, relative to each reference tensor's largest magnitude.
    struct Tolerance {
        /// Logits, loss, running statistics, eval logits.
        let outputs: Double
        let gradients: Double
    }

    static let names = ["resnet", "resnet_heads", "resnet_plain", "cnn", "cnn_bn_avgpool"]
    static let input = FeatureShape(channels: 3, height: 12, width: 12)

    static func reference() throws -> Reference {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/torch_networks_reference", withExtension: "json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Reference.self, from: Data(contentsOf: url))
    }

    /// The network the script builds under `name`, described with nnprobe's API.
    static func stack(_ name: String) -> LayerStack {
        var s = ModelSettings()
        switch name {
        case "resnet", "resnet_heads", "resnet_plain":
            s.arch = .resnet
            s.blocks = [1, 1]
            s.baseWidth = 4
            s.headsOn = name == "resnet_heads" ? .stages : .last
            s.noResidual = name == "resnet_plain"
        case "cnn":
            s.arch = .cnn
            s.channels = [4, 8]
            s.fc = [16]
            s.dropout = 0
        default:   // cnn_bn_avgpool
            return LayerStack(input: input, blocks: [
                Block([.conv2d(channels: 4, kernel: 3, padding: 1), .batchNorm, .activation(.relu), .maxPool(kernel: 2, stride: 2)]),
                Block([.conv2d(channels: 8, kernel: 3, padding: 1, bias: false), .batchNorm, .activation(.relu),
                       .avgPool(kernel: 3, stride: 2, padding: 1)], after: [.flatten]),
                Block([.linear(outputs: 16), .batchNorm, .activation(.relu)]),
                Block([.linear(outputs: 10)]),
            ])
        }
        return Architecture(inputs: input.count, outputs: 10, settings: s, inputShape: input).stack()
    }

    @Test func theFixtureHoldsTheNetworksOnOneBatch() throws {
        let reference = try Self.reference()
        #expect(reference.torch.hasPrefix("2."))
        #expect(reference.cases.map(\.name) == Self.names)
        #expect(reference.inputShape == [3, 12, 12] && reference.classes == 10)
        #expect(reference.inputs.count == reference.batch * Self.input.count && reference.labels.count == reference.batch)
    }

    @Test(arguments: names, [ConvolutionBackend.dnnl(.chosen), .dnnl(.plain), .im2col])
    func floatTrainingStepMatchesPyTorch(name: String, backend: ConvolutionBackend) throws {
        try expectTrainingStepMatches(Float.self, name, backend: backend, Tolerance(outputs: 1e-5, gradients: 1e-4))
    }

    @Test(arguments: names)
    func doubleTrainingStepMatchesPyTorch(name: String) throws {
        try expectTrainingStepMatches(Double.self, name, backend: .im2col, Tolerance(outputs: 1e-10, gradients: 1e-9))
    }

    func expectTrainingStepMatches<T: LinalgScalar>(_: T.Type, _ name: String, backend: ConvolutionBackend,
                                                    _ tolerance: Tolerance) throws {
        let reference = try Self.reference()
        let c = try #require(reference.cases.first { $0.name == name })
        let net = try LayerNetwork<T>(Self.stack(name), seed: 0)
        net.convolutionBackend = backend
        let engine = switch backend { case .dnnl(let layout): "oneDNN (\(layout.rawValue))"; case .im2col: "nnprobe's kernels" }
        let floor = c.torchFloat32.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let what = "\(name) in \(T.self) on \(engine) (PyTorch float32 itself: \(floor))"

        // Parameters and running statistics by name, in PyTorch's order and shapes.
        #expect(net.tensors.map(\.name) == c.tensors.map(\.name), "\(name): \(c.tensors.map(\.torch))")
        #expect(net.tensors.map(\.shape) == c.tensors.map(\.shape))
        let norms = net.steps.filter { if case .layer(.batchNorm) = $0.operation { true } else { false } }
        #expect(norms.map(\.name) == c.batchNorms.map(\.name))
        #expect(net.state.count == norms.reduce(0) { $0 + 2 * $1.inShape.channels })
        guard net.tensors.map(\.name) == c.tensors.map(\.name), norms.map(\.name) == c.batchNorms.map(\.name) else { return }
        for (slot, tensor) in zip(net.tensors, c.tensors) {
            for k in 0..<slot.count { net.parameters[slot.offset + k] = T(Float(tensor.value[k])) }
        }
        for (step, norm) in zip(norms, c.batchNorms) {
            let (offset, channels) = (step.state!, step.inShape.channels)
            for k in 0..<channels {
                net.state[offset + k] = T(Float(norm.runningMean[k]))
                net.state[offset + channels + k] = T(Float(norm.runningVar[k]))
            }
        }

        // One training step: forward with batch statistics, cross-entropy, backward.
        let batch = reference.batch, x = reference.inputs.map { T(Float($0)) }
        var masks = RandomSource(seed: 0)
        let logits = net.forward(x, batch: batch, training: true, dropout: &masks)
        var dLogits = [T](repeating: .nan, count: logits.count)
        let score = logits.withUnsafeBufferPointer { y in
            reference.labels.withUnsafeBufferPointer { labels in
                dLogits.withUnsafeMutableBufferPointer { d in
                    LossFunction.crossEntropy.score(y.baseAddress!, rows: batch, width: reference.classes, targets: nil,
                                                    labels: labels.baseAddress!, tolerance: 0, gradient: d.baseAddress!)
                }
            }
        }
        net.zeroGradients()
        net.backward(dLogits)
        if case .dnnl = backend { #expect(net.convolutionNotes.isEmpty, "\(what): \(net.convolutionNotes)") }

        let logitsDifference = Self.difference(logits, c.logits)
        #expect(logitsDifference <= tolerance.outputs, "\(what): logits differ by \(logitsDifference)")
        let lossDifference = abs(score.loss - c.loss) / abs(c.loss)
        #expect(lossDifference <= tolerance.outputs, "\(what): loss \(score.loss) vs PyTorch's \(c.loss)")
        let largest = c.tensors.flatMap(\.gradient).map(abs).max()!
        for (slot, tensor) in zip(net.tensors, c.tensors) {
            let own = tensor.gradient.map(abs).max()!
            let d = Self.difference(Array(net.gradients[slot.offset..<(slot.offset + slot.count)]), tensor.gradient,
                                    scale: own > 1e-12 * largest ? own : largest)
            #expect(d <= tolerance.gradients, "\(what): gradient of \(slot.name) (\(tensor.torch)) differs by \(d)")
        }
        for (step, norm) in zip(norms, c.batchNorms) {
            let (offset, channels) = (step.state!, step.inShape.channels)
            let mean = Self.difference(Array(net.state[offset..<(offset + channels)]), norm.runningMeanAfter)
            let variance = Self.difference(Array(net.state[(offset + channels)..<(offset + 2 * channels)]), norm.runningVarAfter)
            #expect(max(mean, variance) <= tolerance.outputs,
                    "\(what): running statistics of \(step.name) (\(norm.torch)) differ by \(mean), \(variance)")
        }

        // Eval mode: the running statistics the step left, the same weights.
        let evalLogits = net.forward(x, batch: batch, training: false, dropout: &masks)
        let evalDifference = Self.difference(evalLogits, c.evalLogits)
        #expect(evalDifference <= tolerance.outputs, "\(what): eval logits differ by \(evalDifference)")
    }

    /// max |a − b| over `scale` (by default max |b|); infinite when the counts differ.
    static func difference<T: LinalgScalar>(_ a: [T], _ b: [Double], scale: Double? = nil) -> Double {
        guard a.count == b.count, !b.isEmpty else { return .infinity }
        return zip(a, b).map { abs(Double($0) - $1) }.max()! / (scale ?? b.map(abs).max()!)
    }
}
