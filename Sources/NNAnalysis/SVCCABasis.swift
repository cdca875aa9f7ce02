import NNLinalg

/// The singular directions of a centred representation X that SVCCA (Raghu et al. 2017) keeps:
/// the top k, the fewest whose squared singular values hold `varianceKept` (99 %) of ‖X‖²_F.
///
/// Computed from XᵀX = V·diag(σ²)·Vᵀ (its eigendecomposition) rather than from X: the kept left
/// singular vectors are U_k = X·W with W = V_k·diag(1/σ_k) (p × k), so the canonical correlations
/// of two representations are the singular values of W_xᵀ(XᵀY)W_y, read from the cross-covariance.
public struct SVCCABasis: Sendable {
    /// Share of the variance the kept directions hold: 0.99, as Raghu et al.
    public static let defaultVarianceKept = 0.99

    /// Directions kept (0 when X is constant).
    public let kept: Int
    /// W = V_k·diag(1/σ_k), p × k.
    public let whitening: Matrix<Double>

    /// The basis of the centred representation whose Gram matrix XᵀX is `gram`.
    public init(gram: Matrix<Double>, varianceKept: Double = defaultVarianceKept) throws {
        let p = gram.rows
        let e = try gram.symmetricEigen()
        let variances = e.values.map { Swift.max($0, 0) }
        let total = variances.reduce(0, +)
        var k = 0, running = 0.0
        if total > 0 {
            while k < p && running < varianceKept * total * (1 - 1e-12) { running += variances[k]; k += 1 }
        }
        kept = k
        var w = Matrix<Double>(rows: p, cols: k)
        for c in 0..<k {
            let scale = 1 / variances[c].squareRoot()
            for r in 0..<p { w[r, c] = e.vectors[c, r] * scale }
        }
        whitening = w
    }
}
