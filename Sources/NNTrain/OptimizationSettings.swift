/// How the weights are fitted: optimiser, learning rate and its schedule, epochs and batches.
public struct OptimizationSettings: Codable, Equatable, Sendable {
    public var optimizer: OptimizerKind = .adam
    public var lr = 1e-3
    /// SGD momentum.
    public var momentum = 0.0
    /// L2 for sgd/adam, decoupled for adamw.
    public var weightDecay = 0.0
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var adamEps = 1e-8
    public var schedule: ScheduleKind = .constant
    /// Step schedule: epochs between decays.
    public var stepSize = 10
    /// Step and exponential schedules: the decay factor.
    public var gamma = 0.1
    /// Inverse-time schedule: lr0 / (1 + decay · epoch).
    public var decay = 0.1
    public var epochs = 20
    public var batchSize = 128

    public init() {}
}

/// The optimiser.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case sgd, adam, adamw }

/// The learning-rate schedule, applied per epoch.
public enum ScheduleKind: String, Codable, CaseIterable, Sendable {
    case constant, step, exponential, cosine
    case inverseTime = "inverse-time"
}
