/// Batch-norm parameters and running statistics of one layer (PyTorch `nn.BatchNorm1d` semantics).
///
/// Training normalises with the batch's own mean and biased variance and updates the running
/// statistics as `running ← (1 − momentum)·running + momentum·batch` (unbiased variance);
/// evaluation uses `y = γ · (z − running_mean) / √(running_var + ε) + β`.
public struct BatchNorm: Equatable, Sendable {
    public var gamma: [Float]
    public var beta: [Float]
    public var runningMean: [Float]
    public var runningVar: [Float]
    public var eps: Double
    public var momentum: Double

    /// Fresh statistics for `width` units: γ = 1, β = 0, mean 0, variance 1 (PyTorch's defaults).
    public init(width: Int, eps: Double = 1e-5, momentum: Double = 0.1) {
        self.init(
            gamma: Array(repeating: 1, count: width), beta: Array(repeating: 0, count: width),
            runningMean: Array(repeating: 0, count: width), runningVar: Array(repeating: 1, count: width),
            eps: eps, momentum: momentum)
    }

    public init(gamma: [Float], beta: [Float], runningMean: [Float], runningVar: [Float],
                eps: Double = 1e-5, momentum: Double = 0.1) {
        self.gamma = gamma
        self.beta = beta
        self.runningMean = runningMean
        self.runningVar = runningVar
        self.eps = eps
        self.momentum = momentum
    }

    /// Number of units normalised.
    public var width: Int { gamma.count }
}
