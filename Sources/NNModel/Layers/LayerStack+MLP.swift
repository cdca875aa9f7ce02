/// An MLP as the general description: the MLP family is one case of `LayerStack`.
extension LayerStack {
    /// One block per hidden layer — linear, batch norm, activation, dropout, with a residual
    /// connection where the layer has one — then the output layer, or one head per hidden
    /// layer for a multi-head model.
    public init(_ model: MLP) {
        let hidden = model.isMultiHead ? model.layers : Array(model.layers.dropLast())
        let blocks = hidden.map { layer in
            Block([.linear(outputs: layer.outputs)] + (layer.batchNorm == nil ? [] : [.batchNorm])
                  + [.activation(layer.activation)] + (layer.dropout > 0 ? [.dropout(layer.dropout)] : []),
                  shortcut: layer.residual ? [] : nil)
        }
        let input = FeatureShape(channels: model.inputWidth)
        if model.isMultiHead {
            self.init(input: input, blocks: blocks,
                      heads: model.heads.map { Head(source: $0.sourceLayer, outputs: $0.weight.rows) })
        } else {
            let output = model.layers.last!
            self.init(input: input, blocks: blocks + [Block([.linear(outputs: output.outputs)]
                                                            + (output.activation == .identity ? [] : [.activation(output.activation)]))])
        }
    }
}

extension LayerNetwork {
    /// The network of `model`, with its weights and batch-norm statistics: the same values in
    /// the same flat order as `Network` holds them.
    public convenience init(copying model: MLP) throws {
        try self.init(LayerStack(model), seed: 0)
        var values: [Float] = [], statistics: [Float] = []
        for layer in model.layers {
            values += layer.weight.storage + layer.bias
            if let bn = layer.batchNorm {
                precondition(bn.eps == 1e-5 && bn.momentum == 0.1, "batch norm with ε \(bn.eps), momentum \(bn.momentum)")
                values += bn.gamma + bn.beta
                statistics += bn.runningMean + bn.runningVar
            }
        }
        for head in model.heads { values += head.weight.storage + head.bias }
        precondition(values.count == parameters.count && statistics.count == state.count, "layout differs from the MLP's")
        parameters = values.map { T($0) }
        state = statistics.map { T($0) }
    }
}
