import NNLinalg

/// Debiased linear CKA (Nguyen, Raghu & Kornblith 2021): CKA with the unbiased HSIC estimator of
/// Song et al. (2012), which does not score independent representations as similar when rows are
/// few and units many (plain CKA does).
///
/// HSIC₁(K, L) = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)), K̃ = K with
/// its diagonal zeroed. For the linear kernel K = XXᵀ every term is a feature-space quantity:
/// tr(K̃L̃) = ‖XᵀY‖²_F − Σᵢ‖xᵢ‖²‖yᵢ‖², 1ᵀK̃1 = ‖Σᵢxᵢ‖² − Σᵢ‖xᵢ‖², (K̃1)ᵢ = xᵢ·Σⱼxⱼ − ‖xᵢ‖². HSIC₁ is
/// unchanged by translating X or Y, so the rows are centred (Σᵢxᵢ = 0) and
/// n(n−3)·HSIC₁ = ‖XᵀY‖²_F − n/(n−2)·Σᵢ‖xᵢ‖²‖yᵢ‖² + ‖X‖²_F‖Y‖²_F/((n−1)(n−2)).
/// Debiased CKA = HSIC₁(K, L)/√(HSIC₁(K, K)·HSIC₁(L, L)); NaN for n < 4 or when a self-term is not positive.
public enum DebiasedCKA {
    /// n(n−3)·HSIC₁ of two centred representations of n rows (the n(n−3) cancels in CKA).
    ///
    /// - Parameters:
    ///   - crossSquaredNorm: ‖XᵀY‖²_F.
    ///   - rowProduct: Σᵢ‖xᵢ‖²‖yᵢ‖².
    ///   - squaredNorms: ‖X‖²_F and ‖Y‖²_F.
    public static func scaledHSIC(crossSquaredNorm: Double, rowProduct: Double, squaredNorms: (Double, Double), rows n: Int) -> Double {
        let m = Double(n)
        return crossSquaredNorm - m / (m - 2) * rowProduct + squaredNorms.0 * squaredNorms.1 / ((m - 1) * (m - 2))
    }

    /// Debiased CKA from ‖XᵀY‖²_F, Σᵢ‖xᵢ‖²‖yᵢ‖² and the two representations' statistics (whose
    /// `debiasedSelfTerm`s are n(n−3)·HSIC₁ of each with itself).
    public static func value(crossSquaredNorm: Double, rowProduct: Double, _ x: RepresentationStatistics, _ y: RepresentationStatistics) -> Double {
        let selfTerms = (x.debiasedSelfTerm, y.debiasedSelfTerm)
        guard x.rows >= 4, selfTerms.0 > 0, selfTerms.1 > 0 else { return .nan }
        let hsic = scaledHSIC(crossSquaredNorm: crossSquaredNorm, rowProduct: rowProduct,
                              squaredNorms: (x.squaredNorm, y.squaredNorm), rows: x.rows)
        return hsic / (selfTerms.0.squareRoot() * selfTerms.1.squareRoot())
    }
}
