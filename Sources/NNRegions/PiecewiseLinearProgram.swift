import NNModel

/// Any `LayerModel` in evaluation mode as Float64 operations on numbered buffers, each affine
/// or piecewise linear: what `RegionPartition` runs on conv nets (and on MLPs, as one case).
///
/// The buffers and their order are the engine's (`LayerNetwork`): buffer 0 is the input, each
/// step writes one buffer. A batch norm right after a linear or conv layer is folded into it
/// (w ← w·s, b ← s·(b − μ) + β with s = γ/√(σ² + ε)), as `PiecewiseLinearNet` folds an MLP's;
/// other batch norms become a per-channel scale and shift. Dropout, flatten and identity
/// activations copy. ReLU and max pooling are the only steps that split pieces.
public struct PiecewiseLinearProgram: Sendable {
    public enum Operation: Sendable {
        /// y = W x + b, W outputs × inputs row-major (linear layers, heads' read-outs).
        case dense(weight: [Double], bias: [Double], inputs: Int, outputs: Int)
        /// A 2-D convolution (weight out × in × k × k), with a bias per output channel.
        case conv(weight: [Double], bias: [Double], geometry: ConvGeometry, outChannels: Int)
        /// y = s_c · x + t_c per channel (a batch norm not folded into a layer before it).
        case channelAffine(scale: [Double], shift: [Double], positions: Int)
        case relu
        case maxPool(ConvGeometry)
        case avgPool(ConvGeometry)
        case globalAvgPool(channels: Int, positions: Int)
        /// output = first + second (a residual connection).
        case add
        /// A head's read-out added onto the heads before it (`accumulate`), or the first one.
        case readOut(weight: [Double], bias: [Double], inputs: Int, outputs: Int, accumulate: Bool)
        /// A copy: flatten, dropout in evaluation mode, the identity activation.
        case identity
    }

    public struct Step: Sendable {
        public let operation: Operation
        /// The engine's name of the step (`block1.main.2`).
        public let name: String
        public let inputs: [Int]
        public let output: Int
        /// Values per example of the output buffer.
        public let count: Int
        /// The block this step ends, if it is a block's last step (counts are kept per block).
        public let endsBlock: Int?
    }

    public let steps: [Step]
    /// Values per example of every buffer (buffer 0: the input).
    public let bufferCounts: [Int]
    public let outputBuffer: Int
    public let inputShape: FeatureShape
    public let outputWidth: Int
    public let blockCount: Int

    /// Compiles `model`; throws `RegionError` for activations that are not piecewise linear.
    public init(_ model: LayerModel) throws {
        let network: LayerNetwork<Double>
        do { network = try LayerNetwork<Double>(model) } catch { throw RegionError("the model's layers do not fit its values: \(error)") }
        let p = network.parameters, s = network.state
        var steps: [Step] = []
        var folded = Set<Int>()   // indices of batch-norm steps folded into the step before
        // The last step of each block: its output buffer is the block's output.
        var blockEnds: [Int: Int] = [:]
        for (b, _) in model.stack.blocks.enumerated() {
            if let last = network.steps.lastIndex(where: { $0.name.hasPrefix("block\(b).") }) { blockEnds[last] = b }
        }
        func batchNorm(_ step: LayerNetwork<Double>.Step) -> (scale: [Double], shift: [Double]) {
            let c = step.inShape.channels, gamma = step.weight!.offset, beta = step.bias!.offset, st = step.state!
            let scale = (0..<c).map { p[gamma + $0] / (s[st + c + $0] + 1e-5).squareRoot() }
            return (scale, (0..<c).map { p[beta + $0] - scale[$0] * s[st + $0] })
        }
        /// The batch norm that reads only `step`'s output right after it, if any.
        func foldable(after index: Int) -> Int? {
            let next = index + 1
            guard next < network.steps.count, case .layer(.batchNorm) = network.steps[next].operation,
                  network.steps[next].inputs == [network.steps[index].output] else { return nil }
            let readers = network.steps.filter { $0.inputs.contains(network.steps[index].output) }.count
            return readers == 1 ? next : nil
        }
        for (index, step) in network.steps.enumerated() where !folded.contains(index) {
            var operation: Operation
            var output = step.output, ends = blockEnds[index]
            switch step.operation {
            case .add:
                operation = .add
            case .readOut(let outputs, let accumulate):
                operation = .readOut(weight: Array(p[step.weight!.offset..<(step.weight!.offset + step.weight!.count)]),
                                     bias: Array(p[step.bias!.offset..<(step.bias!.offset + outputs)]),
                                     inputs: step.inShape.count, outputs: outputs, accumulate: accumulate)
            case .layer(let layer):
                switch layer {
                case .linear(let outputs), .conv2d(let outputs, _, _, _, _):
                    let inputs = step.weight!.count / outputs
                    var w = Array(p[step.weight!.offset..<(step.weight!.offset + step.weight!.count)])
                    var b = step.bias.map { Array(p[$0.offset..<($0.offset + outputs)]) } ?? Array(repeating: 0, count: outputs)
                    if let bn = foldable(after: index) {
                        let stats = network.steps[bn]
                        let c = outputs, gamma = stats.weight!.offset, beta = stats.bias!.offset, st = stats.state!
                        for j in 0..<outputs {
                            // PiecewiseLinearNet's fold, operation for operation (MLP results stay bit for bit).
                            let scale = p[gamma + j] / (s[st + c + j] + 1e-5).squareRoot()
                            for k in 0..<inputs { w[j * inputs + k] *= scale }
                            b[j] = scale * (b[j] - s[st + j]) + p[beta + j]
                        }
                        folded.insert(bn)
                        output = stats.output
                        ends = blockEnds[bn] ?? ends
                    }
                    if case .conv2d(_, let k, let stride, let padding, _) = layer {
                        let g = ConvGeometry(channels: step.inShape.channels, height: step.inShape.height, width: step.inShape.width,
                                             kernel: k, stride: stride, padding: padding)
                        operation = .conv(weight: w, bias: b, geometry: g, outChannels: outputs)
                    } else {
                        operation = .dense(weight: w, bias: b, inputs: inputs, outputs: outputs)
                    }
                case .batchNorm:
                    let (scale, shift) = batchNorm(step)
                    operation = .channelAffine(scale: scale, shift: shift, positions: step.inShape.positions)
                case .activation(.relu):
                    operation = .relu
                case .activation(.identity), .flatten, .dropout:
                    operation = .identity
                case .activation(let other):
                    throw RegionError("\(step.name) uses \(other.rawValue); linear regions exist only for relu and identity activations")
                case .maxPool(let k, let stride, let padding), .avgPool(let k, let stride, let padding):
                    let g = ConvGeometry(channels: step.inShape.channels, height: step.inShape.height, width: step.inShape.width,
                                         kernel: k, stride: stride, padding: padding)
                    if case .maxPool = layer {
                        // A window's chosen position is kept in a byte, and written as one base-36 digit.
                        guard k <= 6 else { throw RegionError("\(step.name) is a \(k)×\(k) max pooling; regions are computed for windows up to 6×6") }
                        operation = .maxPool(g)
                    } else {
                        operation = .avgPool(g)
                    }
                case .globalAvgPool:
                    operation = .globalAvgPool(channels: step.inShape.channels, positions: step.inShape.positions)
                }
            }
            steps.append(Step(operation: operation, name: step.name, inputs: step.inputs, output: output,
                              count: network.buffers[output].count, endsBlock: ends))
        }
        self.steps = steps
        bufferCounts = network.buffers.map(\.count)
        outputBuffer = network.outputBuffer
        inputShape = model.stack.input
        outputWidth = network.outputWidth
        blockCount = model.stack.blocks.count
    }

    /// Units per ReLU step and outputs per max-pooling step, in order: the pattern's layout.
    public var patternLayout: [(name: String, units: Int, maxPool: Bool)] {
        steps.compactMap { step in
            switch step.operation {
            case .relu: (step.name, step.count, false)
            case .maxPool: (step.name, step.count, true)
            default: nil
            }
        }
    }

    /// Whether some step is a max pooling (region bounds for ReLU nets do not cover them).
    public var hasMaxPooling: Bool { patternLayout.contains { $0.maxPool } }
}
