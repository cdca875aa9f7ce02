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
    ///   - tensors: the tensors to record, named as the records will be.
    public init(tensors: [TensorSlot], stepsKept: Int, totalSteps: Int) {
        self.tensors = tensors
        self.totalSteps = totalSteps
        flow = GradientFlow(stepsKept: stepsKept, records: tensors.map { GradientFlow.Record(name: $0.name) })
        epochNormSums = Array(repeating: 0, count: tensors.count)
    }

    /// Observes the gradients of optimiser step `step` (0-based).
    public mutating func observe(step: Int, gradients: [Float]) {
        let k = flow.stepsKept
        let keepFirst = step < k, keepLast = step >= totalSteps - k
        gradients.withUnsafeBufferPointer { g in
            for (t, slot) in tensors.enumerated() {
                let (sumSquares, sumAbs) = Self.sums(g, slot.offset..<(slot.offset + slot.count))
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

    /// Σ g² and Σ |g| over `range`, in Float64 with four partial sums each: one chain of dependent
    /// adds (~4 cycles an element) took 5 % of a 4-64-64-2 training step.
    private static func sums(_ g: UnsafeBufferPointer<Float>, _ range: Range<Int>) -> (squares: Double, abs: Double) {
        var squares = SIMD4<Double>(), absolute = SIMD4<Double>()
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            let v = SIMD4<Double>(Double(g[i]), Double(g[i + 1]), Double(g[i + 2]), Double(g[i + 3]))
            squares += v * v
            absolute += SIMD4(abs(v.x), abs(v.y), abs(v.z), abs(v.w))
            i += 4
        }
        var tailSquares = 0.0, tailAbs = 0.0
        for j in i..<range.upperBound {
            let v = Double(g[j])
            tailSquares += v * v
            tailAbs += abs(v)
        }
        return (squares.sum() + tailSquares, absolute.sum() + tailAbs)
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
