/// Gradient statistics of one parameter tensor over a few optimiser steps.
public struct GradientStats: Equatable, Sendable {
    /// Optimiser step indices (0-based) the entries belong to.
    public var steps: [Int] = []
    /// ‖g‖₂ of the whole tensor at each step.
    public var norm: [Double] = []
    /// mean |g_i| at each step.
    public var meanAbs: [Double] = []
    /// std |g_i| (population) at each step.
    public var stdAbs: [Double] = []

    public init() {}
}

/// Gradient flow through training: per parameter tensor, the first and last K steps and the
/// mean gradient norm of every epoch.
public struct GradientFlow: Equatable, Sendable {
    /// A parameter tensor's record, named like `layer_0.weight` or `head_1.bias`.
    public struct Record: Equatable, Sendable {
        public var name: String
        public var first = GradientStats()
        public var last = GradientStats()
        public var epochMeanNorm: [Double] = []
        public init(name: String) { self.name = name }
    }

    /// K: steps kept at each end of training.
    public var stepsKept: Int
    public var records: [Record]

    public init(stepsKept: Int, records: [Record] = []) {
        self.stepsKept = stepsKept
        self.records = records
    }
}
