import NNLinalg

/// What every similarity measure reads of one representation: n rows (the same inputs for every
/// representation compared) × p units, centred (each column's mean over the rows subtracted).
///
/// With X the centred n × p matrix: the Gram matrix XᵀX (p × p, feature space: never the n × n
/// Gram XXᵀ), each row's squared norm ‖xᵢ‖², ‖X‖²_F = Σᵢ‖xᵢ‖² and the SVCCA basis. Pairs of
/// representations add only their cross-covariance XᵀY and Σᵢ‖xᵢ‖²‖yᵢ‖² (see `SimilarityMeasure`).
public struct RepresentationStatistics: Sendable {
    /// Number of rows n.
    public let rows: Int
    /// Number of units p.
    public let width: Int
    /// XᵀX of the centred rows (p × p, both triangles).
    public let gram: Matrix<Double>
    /// ‖xᵢ‖² of every centred row (n values).
    public let rowSquaredNorms: [Double]
    /// ‖X‖²_F = Σᵢ‖xᵢ‖² = tr(XᵀX).
    public let squaredNorm: Double
    /// n(n−3)·HSIC₁(K, K), the unbiased HSIC of X with itself (`DebiasedCKA.scaledHSIC` of X and X), kept
    /// because every pair's debiased CKA divides by it.
    public let debiasedSelfTerm: Double
    /// The top singular directions of X that SVCCA keeps (see `SVCCABasis`).
    public let svccaBasis: SVCCABasis

    /// The statistics of centred rows whose Gram matrix is `gram` (p × p, symmetric) and whose
    /// squared row norms are `rowSquaredNorms`; throws `LinalgError`/`NonFiniteError` from the
    /// eigendecomposition of `gram` that SVCCA needs.
    public init(gram: Matrix<Double>, rowSquaredNorms: [Double], varianceKept: Double = SVCCABasis.defaultVarianceKept) throws {
        precondition(gram.rows == gram.cols, "gram must be square")
        rows = rowSquaredNorms.count
        width = gram.rows
        self.gram = gram
        self.rowSquaredNorms = rowSquaredNorms
        squaredNorm = rowSquaredNorms.reduce(0, +)
        debiasedSelfTerm = DebiasedCKA.scaledHSIC(crossSquaredNorm: gram.squaredFrobeniusNorm,
                                                  rowProduct: rowSquaredNorms.reduce(0) { $0 + $1 * $1 },
                                                  squaredNorms: (squaredNorm, squaredNorm), rows: rowSquaredNorms.count)
        svccaBasis = try SVCCABasis(gram: gram, varianceKept: varianceKept)
    }

    /// The statistics of the rows of `x` (n × p), centred here.
    public init(_ x: Matrix<Double>, varianceKept: Double = SVCCABasis.defaultVarianceKept) throws {
        let centred = x.centredColumns()
        try self.init(gram: centred.gram(), rowSquaredNorms: centred.rowSquaredNorms(), varianceKept: varianceKept)
    }
}

extension Matrix where Scalar == Double {
    /// The matrix with each column's mean subtracted.
    public func centredColumns() -> Matrix {
        guard rows > 0 else { return self }
        var mean = [Double](repeating: 0, count: cols)
        for i in 0..<rows { for j in 0..<cols { mean[j] += self[i, j] } }
        var centred = self
        for i in 0..<rows { for j in 0..<cols { centred[i, j] -= mean[j] / Double(rows) } }
        return centred
    }

    /// ‖rowᵢ‖² of every row.
    public func rowSquaredNorms() -> [Double] {
        (0..<rows).map { i in (0..<cols).reduce(0) { $0 + self[i, $1] * self[i, $1] } }
    }

    /// ‖A‖²_F, the sum of squared entries.
    public var squaredFrobeniusNorm: Double { storage.reduce(0) { $0 + $1 * $1 } }
}
