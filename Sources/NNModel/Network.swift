import NNLinalg

/// A trainable MLP in flat buffers: every parameter in `parameters`, their gradients in
/// `gradients` (same layout), batch-norm running statistics in `state`.
///
/// Generic over the scalar: `Float` trains (like PyTorch); `Double` checks gradients against
/// finite differences. Forward and backward live in `Network+Forward.swift` and
/// `Network+Backward.swift`; activations live in a `Workspace`.
public final class Network<T: LinalgScalar> {
    public let layout: ParameterLayout
    public var parameters: [T]
    public var gradients: [T]
    public var state: [T]

    /// Copies `model`'s weights into flat buffers.
    public init(_ model: MLP) {
        precondition(model.shapeProblems().isEmpty, "inconsistent model: \(model.shapeProblems())")
        layout = ParameterLayout(model)
        parameters = Array(repeating: 0, count: layout.count)
        gradients = Array(repeating: 0, count: layout.count)
        state = Array(repeating: 0, count: layout.stateCount)
        for (layer, slots) in zip(model.layers, layout.layers) {
            copy(layer.weight.storage, into: slots.weight)
            copy(layer.bias, into: slots.bias)
            if let bn = layer.batchNorm, let gamma = slots.gamma, let beta = slots.beta,
               let mean = slots.runningMean, let variance = slots.runningVar {
                copy(bn.gamma, into: gamma)
                copy(bn.beta, into: beta)
                for j in 0..<bn.width {
                    state[mean + j] = T(bn.runningMean[j])
                    state[variance + j] = T(bn.runningVar[j])
                }
            }
        }
        for (head, slots) in zip(model.heads, layout.heads) {
            copy(head.weight.storage, into: slots.weight)
            copy(head.bias, into: slots.bias)
        }
    }

    private func copy(_ values: [Float], into slot: TensorSlot) {
        for (k, v) in values.enumerated() { parameters[slot.offset + k] = T(v) }
    }

    private func values(_ slot: TensorSlot) -> [Float] {
        parameters[slot.offset..<(slot.offset + slot.count)].map { Float($0) }
    }

    /// The current weights as an `MLP` (Float), e.g. to save a checkpoint.
    public func export() -> MLP {
        let layers = layout.layers.map { s in
            var bn: BatchNorm?
            if let gamma = s.gamma, let beta = s.beta, let mean = s.runningMean, let variance = s.runningVar {
                bn = BatchNorm(gamma: values(gamma), beta: values(beta),
                               runningMean: state[mean..<(mean + s.outputs)].map { Float($0) },
                               runningVar: state[variance..<(variance + s.outputs)].map { Float($0) },
                               eps: s.eps, momentum: s.momentum)
            }
            return DenseLayer(weight: Matrix(rows: s.outputs, cols: s.inputs, storage: values(s.weight)),
                              bias: values(s.bias), batchNorm: bn, activation: s.activation,
                              residual: s.residual, dropout: s.dropout)
        }
        let heads = layout.heads.map { s in
            Head(weight: Matrix(rows: s.outputs, cols: s.inputs, storage: values(s.weight)),
                 bias: values(s.bias), sourceLayer: s.sourceLayer)
        }
        return MLP(layers: layers, heads: heads)
    }

    /// Sets every gradient to zero (backward accumulates).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
    }

    /// The loss gradient lives here after `backward`: `gradients[slot]`.
    public func gradient(of slot: TensorSlot) -> ArraySlice<T> { gradients[slot.offset..<(slot.offset + slot.count)] }
}
