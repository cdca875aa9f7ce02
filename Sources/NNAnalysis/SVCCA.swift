import NNLinalg

/// SVCCA (Raghu et al. 2017): keep each representation's top singular directions holding 99 % of
/// its variance (`SVCCABasis`), then canonical correlation analysis between the two kept
/// subspaces; the similarity is the mean of the min(k_x, k_y) canonical correlations, in [0, 1].
///
/// The canonical correlations of two column spaces are the singular values of U_xᵀU_y (orthonormal
/// bases); with U = X·W this is W_xᵀ(XᵀY)W_y, so it is read from the cross-covariance. Plain CCA,
/// without the ε-regularisation of Raghu et al.'s code. NaN when either representation is constant.
public enum SVCCA {
    /// The canonical correlations, descending, each clamped to at most 1.
    public static func correlations(cross: Matrix<Double>, _ x: RepresentationStatistics, _ y: RepresentationStatistics) throws -> [Double] {
        let wx = x.svccaBasis.whitening, wy = y.svccaBasis.whitening
        guard wx.cols > 0, wy.cols > 0 else { return [] }
        var left = Matrix<Double>(rows: wx.cols, cols: cross.cols)
        gemm(wx, transposeA: true, cross, into: &left)           // (k_x, q)
        var m = Matrix<Double>(rows: wx.cols, cols: wy.cols)
        gemm(left, wy, into: &m)                                  // (k_x, k_y)
        return try m.singularValues().map { Swift.min(1, $0) }
    }

    /// The mean canonical correlation (NaN when there is none).
    public static func value(cross: Matrix<Double>, _ x: RepresentationStatistics, _ y: RepresentationStatistics) throws -> Double {
        let rho = try correlations(cross: cross, x, y)
        return rho.isEmpty ? .nan : rho.reduce(0, +) / Double(rho.count)
    }
}
