import NNLinalg

/// A trainable `LayerStack` in flat buffers: parameters (and their gradients, same layout) in
/// PyTorch order and shapes, batch-norm running statistics in `state`. Generic over the scalar:
/// `Float` trains, `Double` checks gradients against finite differences.
///
/// The stack runs as `steps`: one per layer, plus one sum per residual connection, each reading
/// and writing numbered buffers (buffer 0 is the input). Forward and backward are in
/// LayerNetwork+Forward.swift and LayerNetwork+Backward.swift.
public final class LayerNetwork<T: LinalgScalar> {
    /// One operation on the buffers. A class: a pass hands each step to its kernels, and a struct
    /// with arrays and strings cost a retain and release per field there (7 % of a small net's step).
    public final class Step: Sendable {
        public enum Operation: Sendable {
            case layer(Layer)
            /// output = first + second (a residual connection).
            case add
            /// A head's linear read-out: output (+)= W x + b, added onto the heads before it.
            case readOut(outputs: Int, accumulate: Bool)
        }
        public let operation: Operation
        /// `block1.main.0`, or `block1.add` for a sum.
        public let name: String
        public let inputs: [Int]
        public let output: Int
        public let inShape: FeatureShape
        public let outShape: FeatureShape
        /// Trainable tensors: a linear or conv layer's weight and bias, batch norm's γ and β.
        public let weight: TensorSlot?
        public let bias: TensorSlot?
        /// Batch norm: offset of the running mean in `state` (the variance follows it).
        public let state: Int?

        init(operation: Operation, name: String, inputs: [Int], output: Int, inShape: FeatureShape, outShape: FeatureShape,
             weight: TensorSlot?, bias: TensorSlot?, state: Int?) {
            (self.operation, self.name, self.inputs, self.output) = (operation, name, inputs, output)
            (self.inShape, self.outShape, self.weight, self.bias, self.state) = (inShape, outShape, weight, bias, state)
        }
    }

    public let stack: LayerStack
    public let steps: [Step]
    /// `steps` again, without reference counting, for the passes' loops: a step handed from an
    /// array to its kernels costs a retain and a release (`_withUnsafeGuaranteedRef` does not;
    /// `steps` keeps them alive).
    let unretainedSteps: [Unmanaged<Step>]
    /// Per step: whether its backward pass sets its input's gradient instead of adding to it —
    /// an activation, or a linear layer, reading a buffer (not the input) that no other step
    /// reads. Its gradient is not zeroed first (`gradientsZeroed`): the set values are the bits
    /// of adding onto +0.
    let setsInputGradient: [Bool]
    /// The buffers whose gradients `backward` zeroes before it starts: all but the output's,
    /// which the loss gradient is copied over, and those a step sets.
    let gradientsZeroed: [Int]
    /// Every buffer's shape per example; buffer 0 is the input.
    public let buffers: [FeatureShape]
    /// The buffer holding the model's output: the last block's, or the heads' sum.
    public let outputBuffer: Int
    /// Every trainable tensor, in buffer order (`block0.main.0.weight`, …).
    public let tensors: [TensorSlot]
    public var parameters: [T]
    public var gradients: [T]
    public var state: [T]
    /// How Float convolutions and max pooling run (Double ones always on nnprobe's kernels); set
    /// it between training steps, not between a forward pass and its backward.
    public var convolutionBackend = ConvolutionBackend.dnnl(.chosen) { didSet { workspace.convolutions = [:]; workspace.poolings = [:] } }
    /// Whether `backward` computes `inputGradient`; training needs none, and skipping it spares
    /// the first layer's backward-data pass (a convolution's, or a linear layer's dx = dOut · W).
    public var computesInputGradient = true
    /// Activations of the last forward pass, their gradients after backward, and what backward
    /// needs (`LayerWorkspace`, in LayerNetwork+Forward.swift).
    var workspace = LayerWorkspace<T>()
    /// Workspaces of other batch sizes, by size (`prepare(batch:)`).
    var keptWorkspaces: [Int: LayerWorkspace<T>] = [:]

    /// Lays out the stack and draws its weights from `initialization` (PyTorch's defaults:
    /// batch norm γ = 1, β = 0, running variance 1; γ = 0 in a zero-initialised residual branch).
    public init(_ stack: LayerStack, initialization: Initialization = .pytorch, seed: UInt64) throws {
        let placed = try stack.layers().get()
        self.stack = stack
        var steps: [Step] = [], buffers = [stack.input], tensors: [TensorSlot] = []
        var parameterCount = 0, stateCount = 0
        var index = placed.makeIterator()
        func slot(_ name: String, _ shape: [Int]) -> TensorSlot {
            let s = TensorSlot(name: name, offset: parameterCount, count: shape.reduce(1, *), shape: shape)
            parameterCount += s.count
            tensors.append(s)
            return s
        }
        /// Steps for `count` placed layers from buffer `from`; returns the last buffer.
        func chain(_ count: Int, from: Int) -> Int {
            var current = from
            for _ in 0..<count {
                let p = index.next()!
                let shapes = p.layer.parameters(for: p.input)
                let weight = shapes.first.map { slot("\(p.name).\($0.name)", $0.shape) }
                let bias = shapes.count > 1 ? slot("\(p.name).\(shapes[1].name)", shapes[1].shape) : nil
                let state = p.layer.stateCount(for: p.input) > 0 ? stateCount : nil
                stateCount += p.layer.stateCount(for: p.input)
                buffers.append(p.output)
                steps.append(Step(operation: .layer(p.layer), name: p.name, inputs: [current], output: buffers.count - 1,
                                  inShape: p.input, outShape: p.output, weight: weight, bias: bias, state: state))
                current = buffers.count - 1
            }
            return current
        }
        var current = 0, blockOutputs: [Int] = []
        for (b, block) in stack.blocks.enumerated() {
            let main = chain(block.main.count, from: current)
            if let shortcut = block.shortcut {
                let other = chain(shortcut.count, from: current)
                buffers.append(buffers[main])
                steps.append(Step(operation: .add, name: "block\(b).add", inputs: [main, other], output: buffers.count - 1,
                                  inShape: buffers[main], outShape: buffers[main], weight: nil, bias: nil, state: nil))
                current = buffers.count - 1
            } else {
                current = main
            }
            current = chain(block.after.count, from: current)
            blockOutputs.append(current)
        }
        var headOutput: Int?   // the heads' shared output buffer
        for head in stack.heads {
            let source = chain(head.layers.count, from: blockOutputs[head.source])
            let p = index.next()!   // the read-out's linear layer
            let accumulate = headOutput != nil
            if headOutput == nil { buffers.append(p.output); headOutput = buffers.count - 1 }
            steps.append(Step(operation: .readOut(outputs: head.outputs, accumulate: accumulate), name: p.name, inputs: [source],
                              output: headOutput!, inShape: p.input, outShape: p.output,
                              weight: slot("\(p.name).weight", [head.outputs, p.input.count]), bias: slot("\(p.name).bias", [head.outputs]),
                              state: nil))
        }
        outputBuffer = headOutput ?? current
        self.steps = steps
        unretainedSteps = steps.map { Unmanaged.passUnretained($0) }
        var readers = [Int](repeating: 0, count: buffers.count)
        for step in steps { for input in step.inputs { readers[input] += 1 } }
        let sets = steps.map { step in
            guard step.inputs[0] != 0, readers[step.inputs[0]] == 1 else { return false }
            switch step.operation {
            case .layer(.activation(_)), .layer(.linear(_)), .readOut: return true
            default: return false
            }
        }
        let setBuffers = Set(steps.indices.filter { sets[$0] }.map { steps[$0].inputs[0] })
        setsInputGradient = sets
        let output = headOutput ?? current
        gradientsZeroed = buffers.indices.filter { $0 != output && !setBuffers.contains($0) }
        self.buffers = buffers
        self.tensors = tensors
        parameters = Array(repeating: 0, count: parameterCount)
        gradients = Array(repeating: 0, count: parameterCount)
        state = Array(repeating: 0, count: stateCount)
        initialise(initialization, seed: seed)
    }

    /// Output values per example.
    public var outputWidth: Int { buffers[outputBuffer].count }

    private func initialise(_ initialization: Initialization, seed: UInt64) {
        var rng = RandomSource.stream(.initialisation, seed: seed)
        var zeroGamma: Set<String> = []
        for (b, block) in stack.blocks.enumerated() where block.zeroInitResidual {
            if let last = block.main.lastIndex(of: .batchNorm) { zeroGamma.insert("block\(b).main.\(last)") }
        }
        for step in steps {
            guard let weight = step.weight else { continue }
            let layer: Layer
            switch step.operation {
            case .layer(let l): layer = l
            case .readOut(let outputs, _): layer = .linear(outputs: outputs)   // heads' read-outs draw like linear layers
            case .add: continue
            }
            switch layer {
            case .batchNorm:
                let gamma: T = zeroGamma.contains(step.name) ? 0 : 1
                for k in 0..<weight.count { parameters[weight.offset + k] = gamma }
                for k in 0..<step.inShape.channels { state[step.state! + step.inShape.channels + k] = 1 }
            default:
                // Linear and conv layers: fan-in = inputs, or in-channels · k · k.
                let fanIn = weight.count / weight.shape[0]
                let (w, b) = initialization.draw(out: weight.shape[0], in: fanIn, using: &rng)
                for k in 0..<weight.count { parameters[weight.offset + k] = T(w[k]) }
                if let bias = step.bias { for k in 0..<bias.count { parameters[bias.offset + k] = T(b[k]) } }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }   // one exclusivity check, not one per value
    }
}
