import NNLinalg

/// A model's description and its values: what training produces, checkpoints hold and analyses
/// read, for every family (MLPs are one case). Parameters are in the engine's flat order
/// (`LayerNetwork.tensors`: PyTorch order and shapes), batch-norm running statistics in `state`
/// (per batch-norm layer its running mean, then its running variance).
public struct LayerModel: Equatable, Sendable {
    public var stack: LayerStack
    public var parameters: [Float]
    public var state: [Float]

    public init(stack: LayerStack, parameters: [Float], state: [Float]) {
        self.stack = stack
        self.parameters = parameters
        self.state = state
    }

    /// An MLP as the general description, its values in the same flat order as the engine's.
    public init(_ model: MLP) {
        var values: [Float] = [], statistics: [Float] = []
        for layer in model.layers {
            values += layer.weight.storage + layer.bias
            if let bn = layer.batchNorm {
                values += bn.gamma + bn.beta
                statistics += bn.runningMean + bn.runningVar
            }
        }
        for head in model.heads { values += head.weight.storage + head.bias }
        self.init(stack: LayerStack(model), parameters: values, state: statistics)
    }

    /// The model as an `MLP`, when its stack is one (`LayerStack.mlpShape`); nil for conv nets
    /// and other stacks.
    public var mlp: MLP? {
        guard let shape = stack.mlpShape else { return nil }
        var p = 0, s = 0
        func take(_ count: Int) -> [Float] {
            defer { p += count }
            return Array(parameters[p..<(p + count)])
        }
        func takeState(_ count: Int) -> [Float] {
            defer { s += count }
            return Array(state[s..<(s + count)])
        }
        var width = stack.input.count
        var layers: [DenseLayer] = []
        for layer in shape.layers {
            let weight = Matrix(rows: layer.outputs, cols: width, storage: take(layer.outputs * width))
            let bias = take(layer.outputs)
            var bn: BatchNorm?
            if layer.batchNorm {
                let gamma = take(layer.outputs), beta = take(layer.outputs)
                bn = BatchNorm(gamma: gamma, beta: beta, runningMean: takeState(layer.outputs), runningVar: takeState(layer.outputs),
                               eps: 1e-5, momentum: 0.1)
            }
            layers.append(DenseLayer(weight: weight, bias: bias, batchNorm: bn, activation: layer.activation,
                                     residual: layer.residual, dropout: layer.dropout))
            width = layer.outputs
        }
        let heads = stack.heads.map { head in
            let inputs = shape.layers[head.source].outputs
            return Head(weight: Matrix(rows: head.outputs, cols: inputs, storage: take(head.outputs * inputs)),
                        bias: take(head.outputs), sourceLayer: head.source)
        }
        return MLP(layers: layers, heads: heads)
    }

    /// Trainable parameter count.
    public var parameterCount: Int { parameters.count }
}
