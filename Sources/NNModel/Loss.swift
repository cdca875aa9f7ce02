import Foundation
import NNLinalg
import NNSmallProducts

/// The training objective.
public enum LossFunction: String, Codable, CaseIterable, Sendable {
    /// Mean squared error over every output of every row (PyTorch `MSELoss()`).
    case mse
    /// Softmax cross-entropy with integer labels, mean over rows (PyTorch `CrossEntropyLoss()`).
    case crossEntropy = "cross-entropy"
}

/// Loss and accuracy of one batch.
public struct BatchScore: Sendable {
    /// Mean loss over the batch.
    public var loss: Double
    /// Share of correct predictions: arg-max equals the label (classification), or
    /// |prediction − target| ≤ tolerance per output (regression).
    public var accuracy: Double

    public init(loss: Double, accuracy: Double) {
        self.loss = loss
        self.accuracy = accuracy
    }
}

extension LossFunction {
    /// Scores `rows` predictions `y` (rows × `width`, row-major) against `targets` (MSE, same
    /// shape) or `labels` (cross-entropy) and, when `gradient` is given, writes ∂loss/∂prediction
    /// there (rows × width).
    ///
    /// MSE: L = Σ (ŷ − y)² / (B·o), ∂L/∂ŷ = 2(ŷ − y)/(B·o).
    /// Cross-entropy: L = Σ_b [logsumexp(ŷ_b) − ŷ_b,y_b] / B (stable: the row maximum is
    /// subtracted first), ∂L/∂ŷ = (softmax(ŷ) − onehot(y))/B.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func score<T: LinalgScalar>(_ y: UnsafePointer<T>, rows: Int, width o: Int, targets: UnsafePointer<T>?,
                                       labels: UnsafePointer<Int32>?, tolerance: Double,
                                       gradient d: UnsafeMutablePointer<T>?) -> BatchScore {
        guard rows > 0 else { return BatchScore(loss: .nan, accuracy: .nan) }
        var total = 0.0
        var correct = 0
        switch self {
        case .mse:
            let n = rows * o, scale = 2 / Double(n)
            if T.self == Float.self && cpuRunsSmallProducts {   // the same sums, four Float64 lanes an instruction
                (total, correct) = SmallElementwise.meanSquaredError(y.floats, targets!.floats, count: n, tolerance: tolerance,
                                                                     gradientScale: scale, gradient: d?.floats)
            } else {
                (total, correct) = meanSquaredErrorInOrder(y, targets!, count: n, tolerance: tolerance, gradientScale: scale, gradient: d)
            }
            return BatchScore(loss: total / Double(n), accuracy: Double(correct) / Double(n))
        case .crossEntropy:
            var logProbabilities: [Double] = []
            for r in 0..<rows {
                let row = y + r * o
                let label = Int(labels![r])
                logSoftmax(row, width: o, into: &logProbabilities)
                total -= logProbabilities[label]
                if argMax(row, width: o) == label { correct += 1 }
                if let d {
                    for j in 0..<o {
                        (d + r * o)[j] = T((exp(logProbabilities[j]) - (j == label ? 1 : 0)) / Double(rows))
                    }
                }
            }
            return BatchScore(loss: total / Double(rows), accuracy: Double(correct) / Double(rows))
        }
    }
}

/// Mean squared error's sums over `n` predictions `y` and targets `t`: the squared differences'
/// sum and how many differences lie within ±`tolerance`, in Float64; with `gradient`, also
/// gradient[k] = T(gradientScale · (y[k] − t[k])). Four partial sums (k mod 4), added pairwise:
/// four additions in flight, not one chain; then the values left over, in order.
@inline(__always)
func meanSquaredErrorInOrder<T: LinalgScalar>(_ y: UnsafePointer<T>, _ t: UnsafePointer<T>, count n: Int, tolerance: Double,
                                              gradientScale: Double, gradient d: UnsafeMutablePointer<T>?) -> (squares: Double, within: Int) {
    if let d {
        for k in 0..<n { d[k] = T(gradientScale * (Double(y[k]) - Double(t[k]))) }
    }
    var partial = SIMD4<Double>(), counts = SIMD4<Int64>()
    var k = 0
    while k + 4 <= n {
        let diff = SIMD4(Double(y[k]), Double(y[k + 1]), Double(y[k + 2]), Double(y[k + 3]))
            - SIMD4(Double(t[k]), Double(t[k + 1]), Double(t[k + 2]), Double(t[k + 3]))
        partial += diff * diff
        let within = (diff .<= SIMD4(repeating: tolerance)) .& (diff .>= SIMD4(repeating: -tolerance))
        counts &+= SIMD4<Int64>().replacing(with: 1, where: within)
        k += 4
    }
    var squares = (partial[0] + partial[1]) + (partial[2] + partial[3])
    var within = Int(counts.wrappedSum())
    while k < n {
        let diff = Double(y[k]) - Double(t[k])
        squares += diff * diff
        if abs(diff) <= tolerance { within += 1 }
        k += 1
    }
    return (squares, within)
}

/// log softmax(row / temperature) into `result` (resized to `width`, reused across rows so the
/// loss allocates nothing per row), stably: the row maximum is subtracted before exponentiating.
func logSoftmax<T: LinalgScalar>(_ row: UnsafePointer<T>, width: Int, temperature: Double = 1, into result: inout [Double]) {
    if result.count != width { result = Array(repeating: 0, count: width) }
    var maximum = -Double.infinity
    for j in 0..<width {
        result[j] = Double(row[j]) / temperature
        maximum = max(maximum, result[j])
    }
    var sum = 0.0
    for j in 0..<width { sum += exp(result[j] - maximum) }
    let logSumExp = maximum + log(sum)
    for j in 0..<width { result[j] -= logSumExp }
}

/// Index of the largest entry (the first of equal ones, like PyTorch's `argmax`).
func argMax<T: LinalgScalar>(_ row: UnsafePointer<T>, width: Int) -> Int {
    var best = 0
    for j in 1..<max(1, width) where row[j] > row[best] { best = j }
    return best
}
