import NNLinalg

/// A linear read-out of a multi-head model: `y_k = W_k h_s + b_k`, reading the output of trunk
/// layer `sourceLayer`. The model's prediction is the sum of its heads.
public struct Head: Equatable, Sendable {
    public var weight: Matrix<Float>
    public var bias: [Float]
    /// Index of the trunk layer whose output this head reads.
    public var sourceLayer: Int

    public init(weight: Matrix<Float>, bias: [Float], sourceLayer: Int) {
        self.weight = weight
        self.bias = bias
        self.sourceLayer = sourceLayer
    }

    public var parameterCount: Int { weight.storage.count + bias.count }
}
