import NNAnalysis
import NNLinalg

/// Gradient-boosted trees by XGBoost (Debian's libxgboost, through its C API): a classifier
/// (`multi:softprob`, or `binary:logistic` for two classes, as `XGBClassifier` chooses) or a
/// regressor (`reg:squarederror`, several outputs at once), trained on dense Float rows with
/// `tree_method=hist` and XGBoost's defaults otherwise (base score 0.5, no subsampling, λ = 1).
/// The same data, settings and seed give the same trees and predictions.
public final class GradientBoostedTrees {
    /// The settings `XGBClassifier(n_estimators=…, max_depth=…, learning_rate=…, random_state=…, n_jobs=…)` takes.
    public struct Settings: Sendable, Equatable, Codable {
        /// Boosting rounds (`n_estimators`), ≥ 1.
        public var estimators = 100
        /// Deepest tree (`max_depth`), ≥ 1.
        public var maxDepth = 6
        /// Shrinkage per round (`learning_rate`, XGBoost's `eta`), > 0.
        public var learningRate = 0.3
        /// XGBoost's `seed` (used by sampling options; these trees sample nothing).
        public var seed: UInt64 = 0
        /// OpenMP threads (`nthread`), ≥ 1.
        public var threads = 1

        public init(estimators: Int = 100, maxDepth: Int = 6, learningRate: Double = 0.3, seed: UInt64 = 0, threads: Int = 1) {
            (self.estimators, self.maxDepth, self.learningRate, self.seed, self.threads) = (estimators, maxDepth, learningRate, seed, threads)
        }

        enum CodingKeys: String, CodingKey {
            case estimators = "n_estimators", maxDepth = "max_depth", learningRate = "learning_rate", seed, threads
        }

        /// The first setting out of range.
        func problem() -> ProbeFitError? {
            if estimators < 1 { return .setting(key: "n_estimators", value: Double(estimators), requirement: "≥ 1") }
            if maxDepth < 1 { return .setting(key: "max_depth", value: Double(maxDepth), requirement: "≥ 1") }
            if !(learningRate > 0) || !learningRate.isFinite { return .setting(key: "learning_rate", value: learningRate, requirement: "> 0 and finite") }
            if threads < 1 { return .setting(key: "threads", value: Double(threads), requirement: "≥ 1") }
            return nil
        }
    }

    /// Classifiers: the labels seen in training, ascending (column j of `predictProbabilities` is `classes[j]`).
    public let classes: [Int]
    /// Regressors: outputs per row; classifiers: 0.
    public let outputs: Int
    private let booster: XGBoostBooster
    private let features: Int

    private init(classes: [Int], outputs: Int, booster: XGBoostBooster, features: Int) {
        (self.classes, self.outputs, self.booster, self.features) = (classes, outputs, booster, features)
    }

    /// A classifier of `x` (n × p) to `labels` (any integers, at least two distinct).
    public static func classifier(_ x: Matrix<Float>, labels: [Int], settings: Settings = .init()) throws -> GradientBoostedTrees {
        try check(x, rows: labels.count, settings: settings)
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 else { throw ProbeFitError.oneClass(label: classes[0]) }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Float($0)) })
        let data = try XGBoostData(x)
        try data.setLabels(labels.map { index[$0]! }, rows: x.rows, columns: 1)
        let objective: [(String, String)] = classes.count == 2
            ? [("objective", "binary:logistic")]
            : [("objective", "multi:softprob"), ("num_class", String(classes.count))]
        let booster = try train(data, objective: objective, settings: settings)
        return GradientBoostedTrees(classes: classes, outputs: 0, booster: booster, features: x.cols)
    }

    /// A regressor of `x` (n × p) to `targets` (n × t).
    public static func regressor(_ x: Matrix<Float>, targets: Matrix<Float>, settings: Settings = .init()) throws -> GradientBoostedTrees {
        try check(x, rows: targets.rows, settings: settings)
        guard targets.storage.allSatisfy(\.isFinite) else { throw ProbeFitError.nonFinite("targets") }
        let data = try XGBoostData(x)
        try data.setLabels(targets.storage, rows: targets.rows, columns: targets.cols)
        let booster = try train(data, objective: [("objective", "reg:squarederror")], settings: settings)
        return GradientBoostedTrees(classes: [], outputs: targets.cols, booster: booster, features: x.cols)
    }

    /// Class probabilities (n × K, columns in `classes` order) of a classifier, or predictions
    /// (n × t) of a regressor.
    public func predict(_ x: Matrix<Float>) throws -> Matrix<Float> {
        guard x.cols == features else { throw ProbeFitError.featureCountMismatch(fitted: features, given: x.cols) }
        let raw = try booster.predict(XGBoostData(x))
        guard classes.count == 2 else { return raw }
        // binary:logistic gives P(classes[1]) alone.
        return Matrix(rows: raw.rows, cols: 2, storage: raw.storage.flatMap { [1 - $0, $0] })
    }

    /// Classifiers: the most probable class of each row (ties: the first, as numpy's argmax).
    public func predictClasses(_ x: Matrix<Float>) throws -> [Int] {
        let p = try predict(x)
        return (0..<p.rows).map { i in
            var best = 0
            for j in 1..<p.cols where p[i, j] > p[i, best] { best = j }
            return classes[best]
        }
    }

    /// Classifiers: accuracy on `x` against `labels`.
    public func accuracy(_ x: Matrix<Float>, labels: [Int]) throws -> Double {
        guard labels.count == x.rows else { throw ProbeFitError.rowCountMismatch(features: x.rows, targets: labels.count) }
        return ProbeScore.accuracy(predicted: try predictClasses(x), labels: labels)
    }

    /// Regressors: R² on `x` against `targets` (n × t), averaged over outputs.
    public func r2(_ x: Matrix<Float>, targets: Matrix<Float>) throws -> Double {
        guard targets.rows == x.rows else { throw ProbeFitError.rowCountMismatch(features: x.rows, targets: targets.rows) }
        return ProbeScore.r2(predicted: try predict(x).converted(), targets: targets.converted())
    }

    private static func check(_ x: Matrix<Float>, rows: Int, settings: Settings) throws {
        if let problem = settings.problem() { throw problem }
        guard x.rows > 0 else { throw ProbeFitError.noRows }
        guard rows == x.rows else { throw ProbeFitError.rowCountMismatch(features: x.rows, targets: rows) }
        guard x.storage.allSatisfy(\.isFinite) else { throw ProbeFitError.nonFinite("features") }
    }

    /// `settings.estimators` rounds of boosting on `data`.
    private static func train(_ data: XGBoostData, objective: [(String, String)], settings: Settings) throws -> XGBoostBooster {
        let parameters = objective + [
            ("tree_method", "hist"), ("max_depth", String(settings.maxDepth)), ("eta", String(settings.learningRate)),
            ("seed", String(settings.seed)), ("nthread", String(settings.threads)), ("verbosity", "0"),
        ]
        let booster = try XGBoostBooster(training: data, parameters: parameters)
        for round in 0..<settings.estimators { try booster.update(round: round, data) }
        return booster
    }
}
