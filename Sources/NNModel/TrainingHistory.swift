/// Per-epoch learning curves and final test metrics of one training run.
///
/// Accuracy is the share of correct predictions for classifiers and the share within tolerance
/// for regression tasks; arrays have one entry per completed epoch.
public struct TrainingHistory: Equatable, Sendable {
    public var trainLoss: [Double] = []
    public var trainAccuracy: [Double] = []
    public var valLoss: [Double] = []
    public var valAccuracy: [Double] = []
    public var learningRate: [Double] = []
    public var testLoss: Double = .nan
    public var testAccuracy: Double = .nan
    /// Optimiser steps per epoch, as the trainer took them (0 when not recorded, as in files written before it was).
    public var stepsPerEpoch = 0
    /// Wall time of the training loop in seconds; nil when not recorded (files written before it
    /// was, or with `SOURCE_DATE_EPOCH` set, whose files must not depend on the clock).
    public var seconds: Double?

    public init() {}

    /// Number of epochs recorded.
    public var epochs: Int { trainLoss.count }
}
