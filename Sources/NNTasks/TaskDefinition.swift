import NNModel

/// A sub-task of a multi-task problem: which inputs feed it and which outputs it produces.
public struct SubTask: Equatable, Sendable {
    /// `task0`, `task1`, …
    public let name: String
    public let inputs: [Int]
    public let outputs: [Int]
}

/// What a task declares: its widths, its loss, its sub-tasks, and the range its inputs live in
/// (used to lay out probe grids).
public struct TaskDefinition: Sendable {
    public let name: String
    public let summary: String
    public let inputWidth: Int
    public let outputWidth: Int
    public let loss: LossFunction
    /// Empty for single-task problems.
    public let subtasks: [SubTask]
    /// The interval each input is drawn from (grids sweep it).
    public let inputRange: ClosedRange<Double>
    /// The noise-free target of one input row, for tasks defined by a formula (probe grids use it).
    public var targetFunction: (@Sendable ([Float]) -> [Float])? = nil
    /// How an input row is laid out: channels × height × width for images (rows hold NCHW
    /// values), `inputWidth` × 1 × 1 for flat features.
    public var inputShape: FeatureShape? = nil
    /// For images normalised per channel (cifar10, cifar100): the statistics every split was
    /// normalised with, fitted on the training split; nil when inputs are not normalised so.
    public var channelNormalisation: ChannelNormalisation? = nil

    /// `inputShape`, or flat features of `inputWidth`.
    public var resolvedInputShape: FeatureShape { inputShape ?? FeatureShape(channels: inputWidth) }

    /// Whether predictions are class scores.
    public var isClassification: Bool { loss == .crossEntropy }
}
