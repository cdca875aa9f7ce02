import NNLinalg

/// Every measure between every pair of K representations of the same n rows (nets of many seeds
/// at one layer, or the layers of one net), from feature-space quantities only.
///
/// Two passes over the rows: the column means, then the centred rows of all K representations side
/// by side (n × P, P = Σ pₖ, converted to Float64 a block of rows at a time into one reused buffer)
/// added into one P × P Gram matrix by BLAS `dsyrk`. Its diagonal blocks are each representation's
/// XᵀX, its off-diagonal blocks every cross-covariance XᵢᵀXⱼ, in n·P²/2 multiply-adds on all the
/// threads BLAS has. Σₜ‖xᵢₜ‖²‖xⱼₜ‖² for every pair is one K × n by n × K product. The per-pair
/// work (p × q blocks; SVDs for Procrustes, angular and SVCCA) then runs on all cores
/// (`concurrentMap`, BLAS held to one thread meanwhile). Memory: the P × P Gram, K·n row norms and
/// the block buffer (at most 4,096 rows), never an n × n matrix.
public enum PairwiseSimilarity {
    /// The rows converted per block: at most 4,096, fewer when P is large (about 32 MiB of Float64).
    static func blockRows(totalWidth: Int) -> Int { Swift.max(256, Swift.min(4096, 4_194_304 / Swift.max(1, totalWidth))) }

    /// One `SimilarityMatrix` per measure (in the order given) between all of `representations`
    /// (each n × pₖ, the same n rows in the same order). Throws `NonFiniteError` for NaN or ±∞
    /// entries (naming `names[k]` when given) and `LinalgError` from LAPACK.
    @_specialize(where T == Float)
    @_specialize(where T == Double)   // (unspecialised, each Float → Double conversion is a generic call)
    public static func compute<T: LinalgScalar>(_ representations: [Matrix<T>], measures: [SimilarityMeasure],
                                                names: [String]? = nil) throws -> [SimilarityMatrix] {
        let k = representations.count
        let n = representations.first?.rows ?? 0
        precondition(representations.allSatisfy { $0.rows == n }, "every representation needs the same rows")
        for (i, x) in representations.enumerated() { try x.requireFinite(name: names?[i]) }
        let widths = representations.map(\.cols)
        let offsets = widths.reduce(into: [0]) { $0.append($0.last! + $1) }
        let total = offsets[k]

        // Pass 1: column means, in Float64.
        let means = representations.map { x -> [Double] in
            var mean = [Double](repeating: 0, count: x.cols)
            x.storage.withUnsafeBufferPointer { v in
                for i in 0..<x.rows { for j in 0..<x.cols { mean[j] += Double(v[i * x.cols + j]) } }
            }
            return mean.map { $0 / Double(Swift.max(1, x.rows)) }
        }
        // Pass 2: centred blocks of rows, side by side, into the Gram matrix and the row norms.
        var gram = [Double](repeating: 0, count: total * total)
        var rowNorms = Matrix<Double>(rows: k, cols: n)   // (K, n)
        var block = Matrix<Double>(rows: Swift.min(n, blockRows(totalWidth: total)), cols: total)
        var start = 0
        while start < n {
            let rows = Swift.min(block.rows, n - start)
            block.storage.withUnsafeMutableBufferPointer { out in
                rowNorms.storage.withUnsafeMutableBufferPointer { norms in
                    for (r, x) in representations.enumerated() {
                        let p = x.cols, offset = offsets[r], mean = means[r]
                        x.storage.withUnsafeBufferPointer { v in
                            for i in 0..<rows {
                                var squares = 0.0
                                for j in 0..<p {
                                    let value = Double(v[(start + i) * p + j]) - mean[j]
                                    out[i * total + offset + j] = value
                                    squares += value * value
                                }
                                norms[r * n + start + i] = squares
                            }
                        }
                    }
                }
            }
            block.addGram(ofFirst: rows, toUpperTriangleOf: &gram)
            start += rows
        }
        // The (a, b) block, read from the upper triangle (the only one `dsyrk` fills).
        let sums = gram
        let blockOf: @Sendable (Int, Int) -> Matrix<Double> = { a, b in
            var m = Matrix<Double>(rows: widths[a], cols: widths[b])
            for i in 0..<widths[a] {
                for j in 0..<widths[b] {
                    let (r, c) = (offsets[a] + i, offsets[b] + j)
                    m[i, j] = r <= c ? sums[r * total + c] : sums[c * total + r]
                }
            }
            return m
        }
        let statistics = try (0..<k).map { r in
            try RepresentationStatistics(gram: blockOf(r, r), rowSquaredNorms: rowNorms.row(r))
        }
        let rowProducts: Matrix<Double>? = measures.contains(.debiasedCKA) ? {
            var products = Matrix<Double>(rows: k, cols: k)
            gemm(rowNorms, rowNorms, transposeB: true, into: &products)
            return products
        }() : nil

        // Per pair, row by row of the upper triangle (diagonal included).
        let pairRow: @Sendable (Int) throws -> [[Double]] = { a in
            try (a..<k).map { b in
                let cross = blockOf(a, b)
                return try measures.map { measure in
                    let value = try measure.value(statistics[a], statistics[b], cross: cross, rowProduct: rowProducts?[a, b] ?? .nan)
                    // With itself, exactly identical where defined (√ of rounding error would show as ~1e-8 distances).
                    return a == b && value.isFinite ? (measure.isDistance ? 0 : 1) : value
                }
            }
        }
        let needsSVD = measures.contains { $0 != .cka && $0 != .debiasedCKA }
        let upper = needsSVD && k > 8 ? try Array(0..<k).concurrentMap(pairRow) : try (0..<k).map(pairRow)
        return measures.indices.map { m in
            var values = Matrix<Double>(rows: k, cols: k)
            for a in 0..<k {
                for b in a..<k {
                    values[a, b] = upper[a][b - a][m]
                    values[b, a] = upper[a][b - a][m]
                }
            }
            return SimilarityMatrix(measure: measures[m], values: values)
        }
    }
}
