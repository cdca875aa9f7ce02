import NNLinalg

/// Streams rows (in blocks) into a covariance matrix without keeping them: memory is O(d²),
/// not O(N·d).
///
/// Rows may carry a context label; the result is then the pooled within-context covariance
/// Σ_c Σ_{x∈c} (x − μ_c)(x − μ_c)ᵀ / (N − C) ("centred per context, pooled"); with one context it
/// is the ordinary sample covariance with divisor N − 1, as scikit-learn uses. Blocks are
/// converted to Float64 4,096 rows at a time into one reused buffer, shifted by the first block's
/// mean (which keeps the sums well conditioned), and added to the Gram matrix by BLAS `dsyrk`;
/// everything accumulates in Float64.
public struct CovarianceAccumulator: Sendable {
    public let dimension: Int
    private var shift: [Double]?
    /// Σ xᵀx of the shifted rows: the upper triangle is accumulated, the lower mirrored on reading.
    private var gram: [Double]
    /// Context label → its slot in `sums` / `counts`.
    private var slots: [Int32: Int] = [:]
    private var labels: [Int32] = []
    private var sums: [[Double]] = []
    private var counts: [Int] = []
    /// Rows added so far.
    public private(set) var count = 0

    /// Rows converted and multiplied at a time: 4,096 × d Float64 (4 MiB at d = 128), reused, so a
    /// block of any size costs no new memory.
    static let chunkRows = 4096

    public init(dimension: Int) {
        self.dimension = dimension
        gram = Array(repeating: 0, count: dimension * dimension)
    }

    /// Adds a block of rows (N_b × d); `contexts` labels each row (nil: all one context).
    public mutating func add(_ block: Matrix<Float>, contexts: ArraySlice<Int32>? = nil) {
        precondition(block.cols == dimension, "block has \(block.cols) columns, expected \(dimension)")
        precondition(contexts == nil || contexts!.count == block.rows, "one context label per row")
        guard block.rows > 0 else { return }
        let d = dimension
        if shift == nil {
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<block.rows { for j in 0..<d { mean[j] += Double(block[i, j]) } }
            shift = mean.map { $0 / Double(block.rows) }
        }
        let origin = shift!
        var shifted = Matrix<Double>(rows: Swift.min(block.rows, Self.chunkRows), cols: d)
        var start = 0
        var slot = self.slot(for: contexts?.first ?? 0)
        while start < block.rows {
            let rows = Swift.min(shifted.rows, block.rows - start)
            shifted.storage.withUnsafeMutableBufferPointer { out in
                block.storage.withUnsafeBufferPointer { input in
                    origin.withUnsafeBufferPointer { o in
                        for i in 0..<rows {
                            let from = (start + i) * d, to = i * d
                            for j in 0..<d { out[to + j] = Double(input[from + j]) - o[j] }
                        }
                    }
                }
            }
            shifted.addGram(ofFirst: rows, toUpperTriangleOf: &gram)
            for i in 0..<rows {
                if let contexts, contexts[contexts.startIndex + start + i] != labels[slot] {
                    slot = self.slot(for: contexts[contexts.startIndex + start + i])
                }
                counts[slot] += 1
                shifted.storage.withUnsafeBufferPointer { row in
                    sums[slot].withUnsafeMutableBufferPointer { sum in
                        for j in 0..<d { sum[j] += row[i * d + j] }
                    }
                }
            }
            start += rows
        }
        count += block.rows
    }

    /// The slot of context `label`, made on first sight.
    private mutating func slot(for label: Int32) -> Int {
        if let slot = slots[label] { return slot }
        slots[label] = labels.count
        labels.append(label)
        sums.append(Array(repeating: 0, count: dimension))
        counts.append(0)
        return labels.count - 1
    }

    /// Number of distinct contexts seen.
    public var contextCount: Int { labels.count }

    /// The mean of the rows of each context.
    public func means() -> [Int32: [Double]] {
        var result: [Int32: [Double]] = [:]
        for (slot, label) in labels.enumerated() where counts[slot] > 0 {
            let n = Double(counts[slot])
            result[label] = (0..<dimension).map { sums[slot][$0] / n + shift![$0] }   // sums are of shifted rows
        }
        return result
    }

    /// The (pooled within-context) covariance, d × d, divisor N − C.
    public func covariance() -> Matrix<Double> {
        let d = dimension
        var c = Matrix<Double>(rows: d, cols: d, storage: gram)
        for i in 0..<d { for j in 0..<i { c[i, j] = c[j, i] } }
        for slot in labels.indices where counts[slot] > 0 {
            let n = Double(counts[slot])
            for i in 0..<d { for j in 0..<d { c[i, j] -= sums[slot][i] * sums[slot][j] / n } }
        }
        let divisor = Double(Swift.max(1, count - contextCount))
        for k in c.storage.indices { c.storage[k] /= divisor }
        return c
    }
}
