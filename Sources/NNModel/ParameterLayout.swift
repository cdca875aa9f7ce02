/// One named tensor inside a flat buffer: `buffer[offset ..< offset + count]`.
public struct TensorSlot: Equatable, Sendable {
    /// `layer_0.weight`, `layer_0.bias`, `layer_0.gamma`, `head_1.weight`, …
    public let name: String
    public let offset: Int
    public let count: Int
    /// `[out, in]` for weights, `[width]` for vectors.
    public let shape: [Int]
}

/// Where each trunk layer's tensors sit in the parameter and batch-norm-state buffers.
public struct LayerSlots: Sendable {
    public let inputs: Int
    public let outputs: Int
    public let activation: Activation
    public let residual: Bool
    public let dropout: Double
    public let weight: TensorSlot
    public let bias: TensorSlot
    /// γ and β, present when the layer is batch-normalised.
    public let gamma: TensorSlot?
    public let beta: TensorSlot?
    /// Offsets of running mean and variance in the batch-norm state buffer.
    public let runningMean: Int?
    public let runningVar: Int?
    public let eps: Double
    public let momentum: Double
}

/// Where each head's tensors sit in the parameter buffer.
public struct HeadSlots: Sendable {
    public let inputs: Int
    public let outputs: Int
    public let sourceLayer: Int
    public let weight: TensorSlot
    public let bias: TensorSlot
}

/// Named views of every trainable tensor of an MLP in one flat buffer (forward order:
/// each layer's weight, bias, γ, β; then each head's weight, bias), so an optimiser is one loop.
public struct ParameterLayout: Sendable {
    public let layers: [LayerSlots]
    public let heads: [HeadSlots]
    /// Every trainable tensor in buffer order.
    public let tensors: [TensorSlot]
    /// Total trainable parameters.
    public let count: Int
    /// Size of the batch-norm running-statistics buffer.
    public let stateCount: Int
    public let inputWidth: Int
    public let outputWidth: Int

    public init(_ model: MLP) {
        var tensors: [TensorSlot] = []
        var offset = 0
        var state = 0
        func slot(_ name: String, _ shape: [Int]) -> TensorSlot {
            let s = TensorSlot(name: name, offset: offset, count: shape.reduce(1, *), shape: shape)
            offset += s.count
            tensors.append(s)
            return s
        }
        var layers: [LayerSlots] = []
        for (i, layer) in model.layers.enumerated() {
            let weight = slot("layer_\(i).weight", [layer.outputs, layer.inputs])
            let bias = slot("layer_\(i).bias", [layer.outputs])
            let bn = layer.batchNorm
            let gamma = bn.map { _ in slot("layer_\(i).gamma", [layer.outputs]) }
            let beta = bn.map { _ in slot("layer_\(i).beta", [layer.outputs]) }
            var runningMean: Int?, runningVar: Int?
            if bn != nil {
                runningMean = state
                runningVar = state + layer.outputs
                state += 2 * layer.outputs
            }
            layers.append(LayerSlots(
                inputs: layer.inputs, outputs: layer.outputs, activation: layer.activation,
                residual: layer.residual, dropout: layer.dropout, weight: weight, bias: bias,
                gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar,
                eps: bn?.eps ?? 1e-5, momentum: bn?.momentum ?? 0.1))
        }
        let heads = model.heads.enumerated().map { k, head in
            HeadSlots(inputs: head.weight.cols, outputs: head.weight.rows, sourceLayer: head.sourceLayer,
                      weight: slot("head_\(k).weight", [head.weight.rows, head.weight.cols]),
                      bias: slot("head_\(k).bias", [head.weight.rows]))
        }
        self.layers = layers
        self.heads = heads
        self.tensors = tensors
        self.count = offset
        self.stateCount = state
        self.inputWidth = model.inputWidth
        self.outputWidth = model.outputWidth
    }

    /// The tensors that belong to trunk layer `index` (weight, bias, and γ/β).
    public func tensors(ofLayer index: Int) -> [TensorSlot] {
        let l = layers[index]
        return [l.weight, l.bias] + [l.gamma, l.beta].compactMap { $0 }
    }
}
