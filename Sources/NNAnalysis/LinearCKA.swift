import NNLinalg

/// Linear centred kernel alignment (Kornblith et al. 2019), in feature space.
///
/// With centred X (n × p) and Y (n × q): CKA = ‖XᵀY‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F), which equals
/// HSIC₀(K, L) / √(HSIC₀(K, K)·HSIC₀(L, L)) for the linear kernels K = XXᵀ, L = YYᵀ and the biased
/// estimator HSIC₀ = tr(KHLH)/(n − 1)². 1 for representations equal up to rotation and isotropic
/// scaling; in [0, 1]. NaN when either representation is constant.
public enum LinearCKA {
    /// CKA from the squared Frobenius norm of the cross-covariance XᵀY and the two representations' statistics.
    public static func value(crossSquaredNorm: Double, _ x: RepresentationStatistics, _ y: RepresentationStatistics) -> Double {
        let denominator = x.gram.squaredFrobeniusNorm.squareRoot() * y.gram.squaredFrobeniusNorm.squareRoot()
        return denominator > 0 ? crossSquaredNorm / denominator : .nan
    }
}
