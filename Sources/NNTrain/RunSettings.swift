/// How a run starts and what it records beyond the weights: transfer learning, distillation and
/// gradient-flow records. (The checkpoints named here are read by the caller.)
public struct RunSettings: Codable, Equatable, Sendable {
    /// Gradient-flow records keep the first and last K optimiser steps.
    public var gradSteps = 5
    /// Start from this checkpoint's weights instead of a fresh draw.
    public var initFrom: String?
    /// Blocks (MLP layers, 0-based) whose parameters are not updated.
    public var freeze: [Int] = []
    /// Freeze every block but the read-out (the output block, or none when heads read the blocks):
    /// a linear probe on a frozen backbone.
    public var freezeBackbone = false
    /// Blocks (MLP layers, 0-based) re-drawn from the initialisation before training.
    public var reinit: [Int] = []
    /// Distil from this checkpoint's outputs (classification tasks).
    public var teacher: String?
    /// Distillation temperature T.
    public var temperature = 4.0
    /// Distillation weight α of the teacher term.
    public var alpha = 0.9

    public init() {}
}
