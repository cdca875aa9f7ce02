import NNLinalg

/// Multinomial logistic regression with an L2 penalty, fitted as scikit-learn's
/// `LogisticRegression(C=C, penalty='l2', solver='lbfgs', fit_intercept=True)` fits it: the same
/// objective (`LogisticLoss`: C·Σ log-loss + ½‖W‖², intercepts not penalised; the multinomial
/// loss for 3+ classes, the binomial one for 2, with one row of coefficients), minimised by
/// L-BFGS to a tight tolerance, so coefficients agree with sklearn's to 1e-4 and with the exact
/// optimum more closely. Features are used as given (sklearn does not standardise either); the
/// solver alone works in rescaled units (Jacobi preconditioning, `LogisticLoss`), the objective
/// and its minimiser unchanged.
public struct LogisticRegression: Sendable {
    /// How hard to fit.
    public struct Settings: Sendable, Equatable {
        /// Inverse penalty strength (sklearn's `C`), > 0.
        public var c: Double = 1
        /// Stop when max |∂f/∂θ| of the objective divided by C·n is at most this.
        public var tolerance: Double = 1e-10
        /// L-BFGS iteration cap.
        public var maxIterations: Int = 10_000

        public init(c: Double = 1, tolerance: Double = 1e-10, maxIterations: Int = 10_000) {
            (self.c, self.tolerance, self.maxIterations) = (c, tolerance, maxIterations)
        }
    }

    /// The labels seen in training, ascending (sklearn's `classes_`).
    public let classes: [Int]
    /// K × p for K ≥ 3 classes, 1 × p for two (sklearn's `coef_`).
    public let coefficients: Matrix<Double>
    /// K values, or 1 for two classes (sklearn's `intercept_`); multinomial ones sum to 0.
    public let intercepts: [Double]
    /// L-BFGS iterations taken, and whether the tolerance was met.
    public let iterations: Int
    public let converged: Bool

    /// Fits `x` (n × p) to `labels` (n integers, any values; at least two distinct).
    public static func fit(_ x: Matrix<Double>, labels: [Int], settings: Settings = .init()) throws(ProbeFitError) -> LogisticRegression {
        guard settings.c > 0, settings.c.isFinite else { throw .setting(key: "C", value: settings.c, requirement: "> 0 and finite") }
        guard x.rows > 0 else { throw .noRows }
        guard labels.count == x.rows else { throw .rowCountMismatch(features: x.rows, targets: labels.count) }
        guard x.storage.allSatisfy(\.isFinite) else { throw .nonFinite("features") }
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 else { throw .oneClass(label: classes[0]) }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let loss = LogisticLoss(x: x, targets: labels.map { index[$0]! }, classes: classes.count, c: settings.c)
        var solver = LBFGS()
        solver.gradientTolerance = settings.tolerance
        solver.maxIterations = settings.maxIterations
        solver.gradientWeights = loss.gradientWeights   // the tolerance holds in the features' units
        let result = solver.minimize(from: [Double](repeating: 0, count: loss.parameterCount)) { loss.evaluate($0, gradient: &$1) }
        let (k, p) = (loss.outputs, x.cols)
        var intercepts = Array(result.x[(k * p)...])
        if k > 1 {   // fixed only up to a common shift; every gradient keeps Σ b = 0, round-off aside
            let mean = intercepts.reduce(0, +) / Double(k)
            intercepts = intercepts.map { $0 - mean }
        }
        return LogisticRegression(classes: classes, coefficients: loss.coefficients(result.x),
                                  intercepts: intercepts, iterations: result.iterations, converged: result.converged)
    }

    /// Scores x·Wᵀ + b (n × K, or n × 1 for two classes: the log-odds of `classes[1]`), sklearn's `decision_function`.
    public func decisionFunction(_ x: Matrix<Double>) throws(ProbeFitError) -> Matrix<Double> {
        guard x.cols == coefficients.cols else { throw .featureCountMismatch(fitted: coefficients.cols, given: x.cols) }
        var z = Matrix<Double>(rows: x.rows, cols: coefficients.rows)
        gemm(x, coefficients, transposeB: true, into: &z)
        for i in 0..<z.rows { for j in 0..<z.cols { z[i, j] += intercepts[j] } }
        return z
    }

    /// The most probable class of each row (ties: the first in `classes`, as numpy's argmax).
    public func predict(_ x: Matrix<Double>) throws(ProbeFitError) -> [Int] {
        let z = try decisionFunction(x)
        return (0..<z.rows).map { i in
            if z.cols == 1 { return classes[z[i, 0] > 0 ? 1 : 0] }
            var best = 0
            for j in 1..<z.cols where z[i, j] > z[i, best] { best = j }
            return classes[best]
        }
    }

    /// The share of rows whose prediction equals the label.
    public func accuracy(_ x: Matrix<Double>, labels: [Int]) throws(ProbeFitError) -> Double {
        guard labels.count == x.rows else { throw .rowCountMismatch(features: x.rows, targets: labels.count) }
        return ProbeScore.accuracy(predicted: try predict(x), labels: labels)
    }
}
