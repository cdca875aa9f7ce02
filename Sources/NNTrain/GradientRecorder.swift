import NNModel

/// Records gradient flow during training: per parameter tensor, the norm, mean |g| and std |g|
/// of the first and last K optimiser steps, and the mean gradient norm of each epoch.
public struct GradientRecorder {
    private let tensors: [TensorSlot]
    private let totalSteps: Int
    private(set) var flow: GradientFlow
    private var epochNormSums: [Double]
    private var epochSteps = 0

    /// - Parameters:
    ///   - totalSteps: the steps the run will take, so the last K are known in advance.
    public init(layout: ParameterLayout, stepsKept: Int, totalSteps: Int) {
        tensors = layout.tensors
        self.totalSteps = totalSteps
        flow = GradientFlow(stepsKept: stepsKept, records: layout.tensors.map { GradientFlow.Record(name: $0.name) })
        epochNormSums = Array(repeating: 0, count: layout.tensors.count)
    }

    /// Observes the gradients of optimiser step `step` (0-based).
    public mutating func observe(step: Int, gradients: [Float]) {
        let k = flow.stepsKept
        let keepFirst = step < k, keepLast = step >= totalSteps - k
        gradients.withUnsafeBufferPointer { g in
            for (t, slot) in tensors.enumerated() {
                var sumSquares = 0.0, sumAbs = 0.0
                for i in slot.offset..<(slot.offset + slot.count) {
                    let v = Double(g[i])
                    sumSquares += v * v
                    sumAbs += abs(v)
                }
                let norm = sumSquares.squareRoot()
                epochNormSums[t] += norm
                guard keepFirst || keepLast else { continue }
                let n = Double(slot.count)
                let mean = sumAbs / n
                let std = max(0, sumSquares / n - mean * mean).squareRoot()
                if keepFirst { append(&flow.records[t].first, step, norm, mean, std) }
                if keepLast { append(&flow.records[t].last, step, norm, mean, std) }
            }
        }
        epochSteps += 1
    }

    private func append(_ stats: inout GradientStats, _ step: Int, _ norm: Double, _ mean: Double, _ std: Double) {
        stats.steps.append(step)
        stats.norm.append(norm)
        stats.meanAbs.append(mean)
        stats.stdAbs.append(std)
    }

    /// Closes an epoch: stores each tensor's mean gradient norm over its steps.
    public mutating func endEpoch() {
        for t in tensors.indices {
            flow.records[t].epochMeanNorm.append(epochSteps > 0 ? epochNormSums[t] / Double(epochSteps) : .nan)
            epochNormSums[t] = 0
        }
        epochSteps = 0
    }

    /// The records so far.
    public var result: GradientFlow { flow }
}
