import NNModel

/// The gradient flow a training run recorded, summarised per parameter tensor, with
/// vanishing/exploding flags (`nnprobe grads`, one entry of `files`; schema `nnprobe.grads/1`).
public struct GradientFlowSummary: Encodable, Sendable {
    /// Means over a block of recorded optimiser steps.
    public struct Steps: Encodable, Sendable {
        public let steps: [Int]
        /// Mean ‖g‖₂, mean |g| and std |g| over the steps (NaN when none were recorded).
        public let norm, meanAbs, stdAbs: Double
        enum CodingKeys: String, CodingKey { case steps, norm; case meanAbs = "mean_abs", stdAbs = "std_abs" }

        /// The means of the steps recorded in `s`.
        public init(_ s: GradientStats) {
            func mean(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count) }
            steps = s.steps
            norm = mean(s.norm); meanAbs = mean(s.meanAbs); stdAbs = mean(s.stdAbs)
        }
    }

    /// Flags a tensor's gradients can raise.
    public enum Flag: String, Encodable, Sendable {
        /// The mean first-step norm is below the vanishing threshold.
        case vanishing
        /// Some recorded norm exceeds the exploding threshold or is not finite.
        case exploding
    }

    /// One parameter tensor's gradients.
    public struct Tensor: Encodable, Sendable {
        public let name: String
        public let first: Steps
        public let last: Steps
        public let epochMeanNorm: [Double]
        public let flags: [Flag]
        enum CodingKeys: String, CodingKey { case name, first, last, flags; case epochMeanNorm = "epoch_mean_norm" }
    }

    public let file: String
    /// Steps recorded at each end of training.
    public let stepsKept: Int
    public let tensors: [Tensor]
    enum CodingKeys: String, CodingKey { case file, tensors; case stepsKept = "steps_kept" }

    /// The summary of `flow`; `file` names the checkpoint in the result. A tensor is `vanishing`
    /// when its mean first-step norm is below `vanishing`, `exploding` when any recorded norm
    /// exceeds `exploding` or is not finite. Throws `AnalysisError.noGradientRecords` for an empty record.
    public init(_ flow: GradientFlow, file: String, vanishing: Double = 1e-8, exploding: Double = 1e3) throws(AnalysisError) {
        guard !flow.records.isEmpty else { throw .noGradientRecords }
        self.file = file
        stepsKept = flow.stepsKept
        tensors = flow.records.map { r in
            let first = Steps(r.first), last = Steps(r.last)
            var flags: [Flag] = []
            if first.norm < vanishing { flags.append(.vanishing) }
            let all = r.first.norm + r.last.norm + r.epochMeanNorm
            if all.contains(where: { !$0.isFinite || $0 > exploding }) { flags.append(.exploding) }
            return Tensor(name: r.name, first: first, last: last, epochMeanNorm: r.epochMeanNorm, flags: flags)
        }
    }
}
