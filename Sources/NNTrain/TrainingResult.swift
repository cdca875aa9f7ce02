import NNModel

/// What a training run produced.
public struct TrainingResult: Sendable {
    public var model: LayerModel
    public var history: TrainingHistory
    public var gradients: GradientFlow
    /// Per hidden layer, the share of units never active on the validation set.
    public var deadUnits: [Double]
    /// How the run ended.
    public var status: RunStatus
    /// For diverged runs, what happened and what to try.
    public var divergence: String?
    public var stepsPerEpoch: Int
    public var steps: Int
    public var seconds: Double
    /// What the engine reported (a layer that fell back from oneDNN to nnprobe's own kernels).
    public var notes: [String] = []
}

/// Where a run is, for progress bars.
public struct TrainingProgress: Sendable {
    public let epoch: Int
    public let epochs: Int
    public let step: Int
    public let stepsPerEpoch: Int
    /// Mean training loss of the epoch so far.
    public let trainLoss: Double
    /// The previous epoch's validation loss (nan before the first epoch ends).
    public let valLoss: Double
}
