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
