import NNAnalysis
import NNBaselines
import NNLinalg

/// Linear probes: how well a linear read-out of a representation predicts the task's targets.
/// Each representation is a matrix of features per row (a layer's activations, pooled conv
/// activations, the raw inputs), fitted on training rows and scored on held-out rows:
/// multinomial logistic regression (`LogisticRegression`, accuracy) for class labels, ridge
/// (`RidgeRegression`, R² averaged over outputs) for real-valued targets. Baselines fit the same
/// way, or with gradient-boosted trees (`GradientBoostedTrees`).
public enum LinearProbes {
    /// One representation's rows, training and held-out, with the same columns.
    public struct Features: Sendable {
        /// How reports name it: `layer_0`, `inputs`, …
        public let name: String
        /// n_train × p.
        public let train: Matrix<Float>
        /// n_held_out × p.
        public let heldOut: Matrix<Float>

        public init(name: String, train: Matrix<Float>, heldOut: Matrix<Float>) {
            precondition(train.cols == heldOut.cols, "\(name): \(train.cols) training columns, \(heldOut.cols) held-out")
            (self.name, self.train, self.heldOut) = (name, train, heldOut)
        }
    }

    /// What the probes predict, for the training and the held-out rows.
    public enum Targets: Sendable {
        /// Class labels (classification): probes are logistic regressions, scored by accuracy.
        case classes(train: [Int], heldOut: [Int])
        /// Real-valued targets, n × t (regression): probes are ridge regressions, scored by R².
        case values(train: Matrix<Float>, heldOut: Matrix<Float>)

        var trainRows: Int {
            switch self {
            case .classes(let train, _): train.count
            case .values(let train, _): train.rows
            }
        }
        var heldOutRows: Int {
            switch self {
            case .classes(_, let heldOut): heldOut.count
            case .values(_, let heldOut): heldOut.rows
            }
        }
    }

    /// The model fitted to a representation.
    public enum Method: String, Codable, Sendable, CaseIterable {
        case logistic, ridge, xgboost
    }

    /// Penalties and the baseline's trees.
    public struct Settings: Sendable, Equatable {
        /// Logistic regression's inverse penalty (sklearn's `C`).
        public var c: Double = 1
        /// Ridge's penalty (sklearn's `alpha`).
        public var alpha: Double = 1
        /// Logistic regression's L-BFGS settings besides C.
        public var tolerance: Double = 1e-10
        public var maxIterations: Int = 10_000
        /// Gradient-boosted trees.
        public var trees = GradientBoostedTrees.Settings()

        public init() {}
    }

    /// One fitted probe's scores: accuracy (classes) or R² (values).
    public struct Score: Sendable, Equatable {
        public let name: String
        public let method: Method
        public let features: Int
        /// On the held-out rows.
        public let score: Double
        /// On the training rows.
        public let trainScore: Double
        /// Logistic regression only: L-BFGS iterations, and whether its tolerance was met.
        public let iterations: Int?
        public let converged: Bool?
    }

    /// The linear method for `targets`: logistic regression for classes, ridge for values.
    public static func linearMethod(for targets: Targets) -> Method {
        if case .classes = targets { .logistic } else { .ridge }
    }

    /// Fits `method` to each representation in turn, calling `progress` with the number done.
    /// Throws `AnalysisError.probeUnfit` (bad rows or settings) or `.baselineFailed` (XGBoost
    /// refused), naming the representation.
    public static func fit(_ features: [Features], targets: Targets, method: Method, settings: Settings,
                           progress: (Int) -> Void = { _ in }) throws -> [Score] {
        var scores: [Score] = []
        for (k, f) in features.enumerated() {
            scores.append(try fit(f, targets: targets, method: method, settings: settings))
            progress(k + 1)
        }
        return scores
    }

    /// Fits `method` to one representation.
    public static func fit(_ f: Features, targets: Targets, method: Method, settings: Settings) throws -> Score {
        do {
            guard f.train.rows == targets.trainRows, f.heldOut.rows == targets.heldOutRows else {
                throw ProbeFitError.rowCountMismatch(features: f.train.rows + f.heldOut.rows,
                                                     targets: targets.trainRows + targets.heldOutRows)
            }
            switch (method, targets) {
            case (.logistic, .classes(let train, let heldOut)):
                let (x, xHeld) = (f.train.converted(to: Double.self), f.heldOut.converted(to: Double.self))
                let model = try LogisticRegression.fit(x, labels: train, settings: .init(c: settings.c, tolerance: settings.tolerance,
                                                                                         maxIterations: settings.maxIterations))
                return Score(name: f.name, method: method, features: x.cols, score: try model.accuracy(xHeld, labels: heldOut),
                             trainScore: try model.accuracy(x, labels: train), iterations: model.iterations, converged: model.converged)
            case (.ridge, .values(let train, let heldOut)):
                let (x, xHeld) = (f.train.converted(to: Double.self), f.heldOut.converted(to: Double.self))
                let (y, yHeld) = (train.converted(to: Double.self), heldOut.converted(to: Double.self))
                let model = try RidgeRegression.fit(x, targets: y, alpha: settings.alpha)
                return Score(name: f.name, method: method, features: x.cols, score: try model.r2(xHeld, targets: yHeld),
                             trainScore: try model.r2(x, targets: y), iterations: nil, converged: nil)
            case (.xgboost, .classes(let train, let heldOut)):
                let model = try GradientBoostedTrees.classifier(f.train, labels: train, settings: settings.trees)
                return Score(name: f.name, method: method, features: f.train.cols, score: try model.accuracy(f.heldOut, labels: heldOut),
                             trainScore: try model.accuracy(f.train, labels: train), iterations: nil, converged: nil)
            case (.xgboost, .values(let train, let heldOut)):
                let model = try GradientBoostedTrees.regressor(f.train, targets: train, settings: settings.trees)
                return Score(name: f.name, method: method, features: f.train.cols, score: try model.r2(f.heldOut, targets: heldOut),
                             trainScore: try model.r2(f.train, targets: train), iterations: nil, converged: nil)
            case (.logistic, .values), (.ridge, .classes):
                throw AnalysisError.probeMethodMismatch(method.rawValue, classification: method == .ridge)
            }
        } catch let error as ProbeFitError {
            throw AnalysisError.probeUnfit(f.name, error)
        } catch let error as XGBoostError {
            throw AnalysisError.baselineFailed(f.name, message: error.description)
        }
    }
}
