import NNLinalg

/// One fully connected layer of the trunk: `h = [x +] dropout(act(bn(W x + b)))`.
///
/// `weight` is stored (out × in) like PyTorch's `nn.Linear`. The residual skip adds the layer's
/// input to its output and needs `in == out`.
public struct DenseLayer: Equatable, Sendable {
    public var weight: Matrix<Float>
    public var bias: [Float]
    public var batchNorm: BatchNorm?
    public var activation: Activation
    /// Adds the input to the output (a residual connection); requires a square weight.
    public var residual: Bool
    /// Inverted-dropout rate on the output during training (0 = off).
    public var dropout: Double

    public init(weight: Matrix<Float>, bias: [Float], batchNorm: BatchNorm? = nil,
                activation: Activation, residual: Bool = false, dropout: Double = 0) {
        self.weight = weight
        self.bias = bias
        self.batchNorm = batchNorm
        self.activation = activation
        self.residual = residual
        self.dropout = dropout
    }

    /// Input width.
    public var inputs: Int { weight.cols }
    /// Output width.
    public var outputs: Int { weight.rows }

    /// Trainable parameters: weight, bias, and γ/β when batch-normalised.
    public var parameterCount: Int {
        weight.storage.count + bias.count + 2 * (batchNorm?.width ?? 0)
    }
}
