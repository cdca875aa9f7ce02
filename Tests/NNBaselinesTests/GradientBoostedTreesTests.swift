import Foundation
import NNLinalg
import Testing
@testable import NNBaselines

/// One case of Fixtures/xgboost_reference.json (Python xgboost 1.7.4, make_xgboost_fixtures.py).
struct XGBoostCase: @unchecked Sendable, CustomStringConvertible {  // immutable after loading
    let json: [String: Any]
    var description: String { json["name"] as! String }

    static let all: [XGBoostCase] = {
        let url = Bundle.module.url(forResource: "Fixtures/xgboost_reference", withExtension: "json")!
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map(XGBoostCase.init)
    }()

    var isClassifier: Bool { json["kind"] as! String == "classifier" }
    func rows(_ key: String) -> Matrix<Float> {
        Matrix((json[key] as! [[Any]]).map { $0.map { Float(($0 as! NSNumber).doubleValue) } })
    }
    func labels(_ key: String) -> [Int] { json[key] as! [Int] }
    func number(_ key: String) -> Double { (json[key] as! NSNumber).doubleValue }
    var settings: GradientBoostedTrees.Settings {
        let s = json["settings"] as! [String: Any]
        return .init(estimators: s["n_estimators"] as! Int, maxDepth: s["max_depth"] as! Int,
                     learningRate: (s["learning_rate"] as! NSNumber).doubleValue, seed: UInt64(s["seed"] as! Int), threads: 1)
    }

    func fit(threads: Int = 1) throws -> GradientBoostedTrees {
        var settings = settings
        settings.threads = threads
        return isClassifier ? try .classifier(rows("x_train"), labels: labels("y_train"), settings: settings)
                            : try .regressor(rows("x_train"), targets: rows("y_train"), settings: settings)
    }
}

@Suite struct GradientBoostedTreesTests {
    /// Debian's libxgboost 1.7.4 and Python's xgboost 1.7.4 grow the same trees: predictions agree
    /// to Float32 round-off (1e-6), and so do the scores.
    @Test(arguments: XGBoostCase.all)
    func predictionsMatchPythonXGBoost(_ c: XGBoostCase) throws {
        let model = try c.fit()
        let predicted = try model.predict(c.rows("x_test")), expected = c.rows("predictions")
        #expect(predicted.rows == expected.rows && predicted.cols == expected.cols)
        let gap = zip(predicted.storage, expected.storage).map { abs(Double($0) - Double($1)) }.max() ?? .infinity
        #expect(gap <= 1e-6, "\(c): predictions differ from Python xgboost's by up to \(gap)")
        if c.isClassifier {
            #expect(abs(try model.accuracy(c.rows("x_test"), labels: c.labels("y_test")) - c.number("accuracy")) < 1e-12)
        } else {
            let r2 = try model.r2(c.rows("x_test"), targets: c.rows("y_test"))
            #expect(abs(r2 - c.number("r2")) <= 1e-5, "\(c): R² \(r2) vs Python xgboost's \(c.number("r2"))")
        }
    }

    /// Same data, settings and seed: bit-identical predictions, with one thread or two.
    @Test(arguments: XGBoostCase.all.prefix(1) + XGBoostCase.all.suffix(1))
    func sameSeedSamePredictions(_ c: XGBoostCase) throws {
        let x = c.rows("x_test")
        let first = try c.fit().predict(x)
        #expect(try c.fit().predict(x).storage == first.storage)
        #expect(try c.fit(threads: 2).predict(x).storage == first.storage)
    }

    @Test func labelsKeepTheirValues() throws {
        let c = XGBoostCase.all.first { $0.description == "three_classes" }!
        let relabelled = c.labels("y_train").map { [7, -2, 40][$0] }
        let model = try GradientBoostedTrees.classifier(c.rows("x_train"), labels: relabelled, settings: c.settings)
        #expect(model.classes == [-2, 7, 40])
        let original = try c.fit().predictClasses(c.rows("x_test"))
        // Column order follows the sorted labels: class 1 (→ -2) first, then 0 (→ 7), then 2 (→ 40).
        #expect(try model.predictClasses(c.rows("x_test")) == original.map { [7, -2, 40][$0] })
    }

    @Test func badSettingsAndXGBoostErrorsAreOneLine() throws {
        let x = Matrix<Float>([[0, 1], [1, 0], [1, 1], [0, 0]])
        #expect(throws: (any Error).self) { try GradientBoostedTrees.classifier(x, labels: [0, 1, 0, 1], settings: .init(estimators: 0)) }
        #expect(throws: (any Error).self) { try GradientBoostedTrees.classifier(x, labels: [3, 3, 3, 3]) }
        // A parameter XGBoost itself refuses: its message comes back on one line, naming the call.
        let data = try XGBoostData(x)
        let booster = try XGBoostBooster(training: data, parameters: [("objective", "no-such-objective")])
        let error = #expect(throws: XGBoostError.self) { try booster.update(round: 0, data) }
        #expect(error?.operation == "XGBoosterUpdateOneIter" && error?.message.contains("no-such-objective") == true, "\(String(describing: error))")
        #expect(error.map { !$0.description.contains("\n") } == true)
    }
}
