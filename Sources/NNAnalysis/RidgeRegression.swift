import NNLinalg

/// Ridge regression with an intercept, as scikit-learn's `Ridge(alpha=α, fit_intercept=True)`
/// fits it: features and targets centred on their training means, then
///
///     W = argmin ‖Yc − Xc Wᵀ‖²_F + α‖W‖²_F = V · diag(sᵢ / (sᵢ² + α)) · Uᵀ Yc   (Xc = U S Vᵀ),
///     b = ȳ − W x̄,
///
/// through the thin SVD of the centred features (stable when they are ill-conditioned). With
/// α = 0 it is the minimum-norm least-squares fit, singular values below max(n, p)·ε·s₁ dropped
/// (numpy's `lstsq` rule). Features are used as given (sklearn does not standardise either).
public struct RidgeRegression: Sendable {
    /// t × p, one row per target (sklearn's `coef_` for 2-D targets).
    public let coefficients: Matrix<Double>
    /// t values (sklearn's `intercept_`).
    public let intercepts: [Double]

    /// Fits `x` (n × p) to `targets` (n × t) with penalty `alpha` ≥ 0.
    public static func fit(_ x: Matrix<Double>, targets y: Matrix<Double>, alpha: Double = 1) throws -> RidgeRegression {
        guard alpha >= 0, alpha.isFinite else { throw ProbeFitError.setting(key: "alpha", value: alpha, requirement: "≥ 0 and finite") }
        guard x.rows > 0 else { throw ProbeFitError.noRows }
        guard y.rows == x.rows else { throw ProbeFitError.rowCountMismatch(features: x.rows, targets: y.rows) }
        guard x.storage.allSatisfy(\.isFinite) else { throw ProbeFitError.nonFinite("features") }
        guard y.storage.allSatisfy(\.isFinite) else { throw ProbeFitError.nonFinite("targets") }
        let (xMean, xc) = centred(x), (yMean, yc) = centred(y)
        let svd = try xc.svd()                                                  // U (n, r), S (r), Vᵀ (r, p)
        let r = svd.singularValues.count
        let cutoff = alpha == 0 ? Double(max(x.rows, x.cols)) * Double.ulpOfOne * (svd.singularValues.first ?? 0) : 0
        var uty = Matrix<Double>(rows: r, cols: y.cols)                         // (r, t) = Uᵀ Yc
        gemm(svd.u, transposeA: true, yc, into: &uty)
        for k in 0..<r {
            let s = svd.singularValues[k]
            let factor = s > cutoff && s * s + alpha > 0 ? s / (s * s + alpha) : 0
            for j in 0..<y.cols { uty[k, j] *= factor }
        }
        var w = Matrix<Double>(rows: y.cols, cols: x.cols)                      // (t, p) = (V diag Uᵀ Yc)ᵀ
        gemm(uty, transposeA: true, svd.vt, into: &w)
        let intercepts = (0..<y.cols).map { j in yMean[j] - (0..<x.cols).reduce(0.0) { $0 + w[j, $1] * xMean[$1] } }
        return RidgeRegression(coefficients: w, intercepts: intercepts)
    }

    /// x Wᵀ + b (n × t).
    public func predict(_ x: Matrix<Double>) throws(ProbeFitError) -> Matrix<Double> {
        guard x.cols == coefficients.cols else { throw .featureCountMismatch(fitted: coefficients.cols, given: x.cols) }
        var out = Matrix<Double>(rows: x.rows, cols: coefficients.rows)
        gemm(x, coefficients, transposeB: true, into: &out)
        for i in 0..<out.rows { for j in 0..<out.cols { out[i, j] += intercepts[j] } }
        return out
    }

    /// R² of the predictions on `x` against `targets` (`ProbeScore.r2`).
    public func r2(_ x: Matrix<Double>, targets: Matrix<Double>) throws(ProbeFitError) -> Double {
        guard targets.rows == x.rows else { throw .rowCountMismatch(features: x.rows, targets: targets.rows) }
        return ProbeScore.r2(predicted: try predict(x), targets: targets)
    }

    /// Column means and the centred matrix.
    private static func centred(_ m: Matrix<Double>) -> ([Double], Matrix<Double>) {
        var means = [Double](repeating: 0, count: m.cols)
        for i in 0..<m.rows { for j in 0..<m.cols { means[j] += m[i, j] } }
        means = means.map { $0 / Double(m.rows) }
        var c = m
        for i in 0..<m.rows { for j in 0..<m.cols { c[i, j] -= means[j] } }
        return (means, c)
    }
}
