import NNLinalg

/// One measure between every pair of K representations: the symmetric K × K matrix and the
/// distribution of its off-diagonal values (each pair once).
public struct SimilarityMatrix: Sendable {
    public let measure: SimilarityMeasure
    /// K × K, symmetric; the diagonal compares each representation with itself (exactly 1, or 0 for
    /// distances, where the measure is defined: NaN for a constant representation).
    public let values: Matrix<Double>

    public init(measure: SimilarityMeasure, values: Matrix<Double>) {
        precondition(values.rows == values.cols, "a similarity matrix is square")
        self.measure = measure
        self.values = values
    }

    /// The values above the diagonal, row by row: (0,1), (0,2), …, (1,2), …: K(K−1)/2 of them.
    public var offDiagonal: [Double] {
        (0..<values.rows).flatMap { i in (i + 1..<values.cols).map { values[i, $0] } }
    }

    /// Mean, std (n − 1), extremes and quartiles of `offDiagonal` (its finite values).
    public var distribution: Distribution { Distribution(offDiagonal) }
}
