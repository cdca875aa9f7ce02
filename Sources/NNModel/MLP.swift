/// A multi-layer perceptron: a trunk of dense layers in forward order and, for multi-head
/// models, linear heads whose outputs are summed.
///
/// Layers are numbered from 0 in forward order; everywhere in nnprobe `--layer L` means
/// `layers[L]`. A single-head model has no `heads`: its last layer is the output layer and the
/// prediction is that layer's output. A multi-head model's trunk is its hidden layers and the
/// prediction is `Σ_k heads[k](output of layers[heads[k].sourceLayer])`.
public struct MLP: Equatable, Sendable {
    public var layers: [DenseLayer]
    public var heads: [Head]

    public init(layers: [DenseLayer], heads: [Head] = []) {
        self.layers = layers
        self.heads = heads
    }

    /// Whether the prediction is a sum of heads.
    public var isMultiHead: Bool { !heads.isEmpty }

    /// Input width.
    public var inputWidth: Int { layers.first?.inputs ?? heads.first?.weight.cols ?? 0 }

    /// Output width of the prediction.
    public var outputWidth: Int { heads.first?.weight.rows ?? layers.last?.outputs ?? 0 }

    /// Every trainable parameter of the trunk and the heads.
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.parameterCount } + heads.reduce(0) { $0 + $1.parameterCount }
    }

    /// Problems with the architecture's shapes, one sentence each (empty when consistent).
    public func shapeProblems() -> [String] {
        var problems: [String] = []
        if layers.isEmpty { problems.append("the model has no layers") }
        for (i, layer) in layers.enumerated() {
            if layer.bias.count != layer.outputs {
                problems.append("layer_\(i): bias has \(layer.bias.count) values, weight has \(layer.outputs) rows")
            }
            if i > 0, layer.inputs != layers[i - 1].outputs {
                problems.append("layer_\(i): weight takes \(layer.inputs) inputs but layer_\(i - 1) gives \(layers[i - 1].outputs)")
            }
            if layer.residual, layer.inputs != layer.outputs {
                problems.append("layer_\(i): residual needs a square weight, got \(layer.outputs) × \(layer.inputs)")
            }
            if let bn = layer.batchNorm,
               [bn.beta.count, bn.runningMean.count, bn.runningVar.count, layer.outputs].contains(where: { $0 != bn.width }) {
                problems.append("layer_\(i): batch-norm vectors do not all have \(layer.outputs) values")
            }
        }
        for (k, head) in heads.enumerated() {
            guard layers.indices.contains(head.sourceLayer) else {
                problems.append("head_\(k): source_layer \(head.sourceLayer) is not a layer (0..<\(layers.count))")
                continue
            }
            if head.weight.cols != layers[head.sourceLayer].outputs {
                problems.append("head_\(k): weight takes \(head.weight.cols) inputs but layer_\(head.sourceLayer) gives \(layers[head.sourceLayer].outputs)")
            }
            if head.bias.count != head.weight.rows {
                problems.append("head_\(k): bias has \(head.bias.count) values, weight has \(head.weight.rows) rows")
            }
            if head.weight.rows != heads[0].weight.rows {
                problems.append("head_\(k): \(head.weight.rows) outputs, head_0 has \(heads[0].weight.rows)")
            }
        }
        return problems
    }
}
