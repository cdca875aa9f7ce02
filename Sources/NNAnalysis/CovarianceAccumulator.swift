import NNLinalg

/// Streams rows (in blocks) into a covariance matrix without keeping them: memory is O(d²),
/// not O(N·d).
///
/// Rows may carry a context label; the result is then the pooled within-context covariance
/// Σ_c Σ_{x∈c} (x − μ_c)(x − μ_c)ᵀ / (N − C) ("centred per context, pooled"); with one context it
/// is the ordinary sample covariance with divisor N − 1, as scikit-learn uses. Each block is
/// converted to Float64, shifted by the first block's mean (which keeps the sums well
/// conditioned), and its Gram matrix is one BLAS `dsyrk` call; everything accumulates in Float64.
public struct CovarianceAccumulator: Sendable {
    public let dimension: Int
    private var shift: [Double]?
    private var gram: [Double]
    private var contextSums: [Int32: [Double]] = [:]
    private var contextCounts: [Int32: Int] = [:]
    /// Rows added so far.
    public private(set) var count = 0

    public init(dimension: Int) {
        self.dimension = dimension
        gram = Array(repeating: 0, count: dimension * dimension)
    }

    /// Adds a block of rows (N_b × d); `contexts` labels each row (nil: all one context).
    public mutating func add(_ block: Matrix<Float>, contexts: ArraySlice<Int32>? = nil) {
        precondition(block.cols == dimension, "block has \(block.cols) columns, expected \(dimension)")
        guard block.rows > 0 else { return }
        let d = dimension
        if shift == nil {
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<block.rows { for j in 0..<d { mean[j] += Double(block[i, j]) } }
            shift = mean.map { $0 / Double(block.rows) }
        }
        let origin = shift!
        var shifted = Matrix<Double>(rows: block.rows, cols: d)
        shifted.storage.withUnsafeMutableBufferPointer { p in
            block.storage.withUnsafeBufferPointer { b in
                for i in 0..<block.rows { for j in 0..<d { p[i * d + j] = Double(b[i * d + j]) - origin[j] } }
            }
        }
        let blockGram = shifted.gram()
        for k in 0..<(d * d) { gram[k] += blockGram.storage[k] }
        for i in 0..<block.rows {
            let label = contexts.map { $0[$0.startIndex + i] } ?? 0
            var sums = contextSums[label] ?? Array(repeating: 0, count: d)
            for j in 0..<d { sums[j] += Double(shifted[i, j]) }
            contextSums[label] = sums
            contextCounts[label, default: 0] += 1
        }
        count += block.rows
    }

    /// Number of distinct contexts seen.
    public var contextCount: Int { contextCounts.count }

    /// The mean of the rows of each context.
    public func means() -> [Int32: [Double]] {
        var result: [Int32: [Double]] = [:]
        for (label, sums) in contextSums {
            let n = Double(contextCounts[label]!)
            result[label] = (0..<dimension).map { sums[$0] / n + shift![$0] }   // sums are of shifted rows
        }
        return result
    }

    /// The (pooled within-context) covariance, d × d, divisor N − C.
    public func covariance() -> Matrix<Double> {
        let d = dimension
        var c = Matrix<Double>(rows: d, cols: d, storage: gram)
        for (label, sums) in contextSums {
            let n = Double(contextCounts[label]!)
            for i in 0..<d { for j in 0..<d { c[i, j] -= sums[i] * sums[j] / n } }
        }
        let divisor = Double(Swift.max(1, count - contextCount))
        for k in c.storage.indices { c.storage[k] /= divisor }
        return c
    }
}
