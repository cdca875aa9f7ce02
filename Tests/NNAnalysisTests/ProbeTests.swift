import Foundation
import NNLinalg
import Testing
@testable import NNAnalysis

/// Logistic and ridge probes against scikit-learn (Fixtures/make_probe_fixtures.py).
@Suite struct ProbeTests {
    /// Every entry of `actual` within `tolerance`·max(1, |expected|) of `expected`; the worst gap.
    static func worstGap(_ actual: [Double], _ expected: [Double]) -> Double {
        precondition(actual.count == expected.count)
        return zip(actual, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }

    @Test(arguments: ProbeCase.logistic)
    func logisticMatchesScikitLearn(_ c: ProbeCase) throws {
        for fit in c.fits {
            let cValue = (fit["C"] as! NSNumber).doubleValue
            let model = try LogisticRegression.fit(c.trainX, labels: c.trainLabels, settings: .init(c: cValue))
            #expect(model.converged, "\(c) C=\(cValue): \(model.iterations) iterations")
            #expect(model.classes == fit["classes"] as! [Int])
            let coef = matrix(fit["coef"])
            #expect(model.coefficients.rows == coef.rows && model.coefficients.cols == coef.cols)
            // sklearn's own L-BFGS stops up to ~4e-5 short of the optimum: 1e-4 against it, 1e-6 against the optimum.
            let sklearn = Self.worstGap(model.coefficients.storage + model.intercepts, coef.storage + doubles(fit["intercept"]))
            let optimum = Self.worstGap(model.coefficients.storage + model.intercepts,
                                        matrix(fit["coef_optimum"]).storage + doubles(fit["intercept_optimum"]))
            #expect(sklearn <= 1e-4, "\(c) C=\(cValue): coefficients/intercepts differ from sklearn's by \(sklearn)")
            #expect(optimum <= 1e-6, "\(c) C=\(cValue): coefficients/intercepts differ from the optimum by \(optimum)")
            let scores = try model.decisionFunction(c.testX)
            #expect(Self.worstGap(scores.storage, matrix(fit["decision_function"]).storage) <= 1e-4, "\(c) C=\(cValue) decision function")
            #expect(try model.predict(c.testX) == fit["predictions"] as! [Int], "\(c) C=\(cValue) predictions")
            // (Foundation's JSON reader may round sklearn's 0.7777777777777778 to a neighbouring Double.)
            #expect(abs(try model.accuracy(c.testX, labels: c.testLabels) - (fit["accuracy"] as! NSNumber).doubleValue) < 1e-12)
            #expect(abs(try model.accuracy(c.trainX, labels: c.trainLabels) - (fit["train_accuracy"] as! NSNumber).doubleValue) < 1e-12)
        }
    }

    @Test(arguments: ProbeCase.ridge)
    func ridgeMatchesScikitLearn(_ c: ProbeCase) throws {
        for fit in c.fits {
            let alpha = (fit["alpha"] as! NSNumber).doubleValue
            let model = try RidgeRegression.fit(c.trainX, targets: c.trainY, alpha: alpha)
            let gap = Self.worstGap(model.coefficients.storage + model.intercepts, matrix(fit["coef"]).storage + doubles(fit["intercept"]))
            // sklearn's Cholesky and nnprobe's SVD agree far below the 1e-4 asked for.
            #expect(gap <= 1e-8, "\(c) alpha=\(alpha): coefficients differ from sklearn's by \(gap)")
            #expect(Self.worstGap(try model.predict(c.testX).storage, matrix(fit["predictions"]).storage) <= 1e-8)
            let r2 = try model.r2(c.testX, targets: c.testY), expected = (fit["r2"] as! NSNumber).doubleValue
            #expect(abs(r2 - expected) <= 1e-8, "\(c) alpha=\(alpha): R² \(r2) vs sklearn \(expected)")
            #expect(abs(try model.r2(c.trainX, targets: c.trainY) - (fit["train_r2"] as! NSNumber).doubleValue) <= 1e-8)
        }
    }

    @Test func r2MatchesScikitLearnWithConstantColumns() {
        for (k, c) in (ProbeCase.json["r2"] as! [[String: Any]]).enumerated() {
            let value = ProbeScore.r2(predicted: matrix(c["y_pred"]), targets: matrix(c["y_true"]))
            let expected = (c["r2"] as! NSNumber).doubleValue
            #expect(abs(value - expected) <= 1e-12, "case \(k): \(value) vs sklearn \(expected)")
        }
    }

    @Test func badInputIsAnErrorNotATrap() {
        let x = Matrix<Double>([[0, 1], [1, 0], [2, 2]])
        #expect(throws: ProbeFitError.oneClass(label: 4)) { try LogisticRegression.fit(x, labels: [4, 4, 4]) }
        #expect(throws: ProbeFitError.setting(key: "C", value: -1, requirement: "> 0 and finite")) {
            try LogisticRegression.fit(x, labels: [0, 1, 0], settings: .init(c: -1))
        }
        #expect(throws: ProbeFitError.rowCountMismatch(features: 3, targets: 2)) { try LogisticRegression.fit(x, labels: [0, 1]) }
        #expect(throws: ProbeFitError.noRows) { try LogisticRegression.fit(Matrix(rows: 0, cols: 2), labels: []) }
        var bad = x
        bad[1, 1] = .nan
        #expect(throws: ProbeFitError.nonFinite("features")) { try LogisticRegression.fit(bad, labels: [0, 1, 0]) }
        #expect(throws: ProbeFitError.setting(key: "alpha", value: -0.5, requirement: "≥ 0 and finite")) {
            try RidgeRegression.fit(x, targets: Matrix([[1], [2], [3]]), alpha: -0.5)
        }
        #expect(throws: ProbeFitError.featureCountMismatch(fitted: 2, given: 3)) {
            try LogisticRegression.fit(x, labels: [0, 1, 0]).predict(Matrix(rows: 1, cols: 3))
        }
    }

    /// Minima known in closed form: Rosenbrock's valley from (−1.2, 1) to (1, 1), and a quadratic
    /// of 8 variables (fewer than the 10 pairs kept, so L-BFGS is full BFGS) with curvatures from 1
    /// to 1e6 (x* = b / a), to the gradient tolerance.
    @Test func lbfgsFindsKnownMinima() {
        let rosenbrock = LBFGS().minimize(from: [-1.2, 1]) { x, g in
            let (a, b) = (1 - x[0], x[1] - x[0] * x[0])
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(rosenbrock.converged && abs(rosenbrock.x[0] - 1) < 1e-9 && abs(rosenbrock.x[1] - 1) < 1e-9, "\(rosenbrock)")
        let a = (0..<8).map { pow(10, Double($0) * 6 / 7) }, b = (0..<8).map { Double($0) - 3.5 }
        var solver = LBFGS()
        solver.gradientTolerance = 1e-9
        let quadratic = solver.minimize(from: [Double](repeating: 0, count: 8)) { x, g in
            var f = 0.0
            for i in x.indices {
                g[i] = a[i] * x[i] - b[i]
                f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i]
            }
            return f
        }
        #expect(quadratic.converged && quadratic.gradientMax <= 1e-9)
        for i in 0..<8 { #expect(abs(quadratic.x[i] - b[i] / a[i]) <= 1e-9 / a[i] * 1.01, "x[\(i)] = \(quadratic.x[i]) vs \(b[i] / a[i])") }
    }

    /// α = 0 is least squares: on exactly linear data the fit recovers the generating weights.
    @Test func ridgeWithoutPenaltyIsLeastSquares() throws {
        var random = TestRandom(seed: 5)
        let x = random.matrix(30, 4)
        let truth = [1.5, -2.0, 0.25, 3.0]
        let y = Matrix(rows: 30, cols: 1, storage: (0..<30).map { i in 0.7 + (0..<4).reduce(0.0) { $0 + x[i, $1] * truth[$1] } })
        let model = try RidgeRegression.fit(x, targets: y, alpha: 0)
        #expect(Self.worstGap(model.coefficients.storage + model.intercepts, truth + [0.7]) < 1e-12)
        #expect(abs(try model.r2(x, targets: y) - 1) < 1e-12)
    }
}
