import Foundation
import NNLinalg

/// The cases of Fixtures/probe_reference.json (made by make_probe_fixtures.py with scikit-learn).
struct ProbeCase: @unchecked Sendable, CustomStringConvertible {  // immutable after loading
    let kind: String
    let name: String
    let trainX: Matrix<Double>
    let testX: Matrix<Double>
    /// Logistic cases: labels; ridge cases: n × t targets.
    let trainLabels: [Int]
    let testLabels: [Int]
    let trainY: Matrix<Double>
    let testY: Matrix<Double>
    /// One per C or alpha.
    let fits: [[String: Any]]

    var description: String { "\(kind) \(name)" }

    nonisolated(unsafe) static let json: [String: Any] = {  // immutable after loading
        let url = Bundle.module.url(forResource: "Fixtures/probe_reference", withExtension: "json")!
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static let logistic: [ProbeCase] = cases("logistic")
    static let ridge: [ProbeCase] = cases("ridge")

    private static func cases(_ kind: String) -> [ProbeCase] {
        (json[kind] as! [[String: Any]]).map { c in
            let logistic = kind == "logistic"
            let (yTrain, yTest) = logistic ? (Matrix<Double>(rows: 0, cols: 0), Matrix<Double>(rows: 0, cols: 0))
                                           : (matrix(c["y_train"]), matrix(c["y_test"]))
            return ProbeCase(kind: kind, name: c["name"] as! String, trainX: matrix(c["x_train"]), testX: matrix(c["x_test"]),
                             trainLabels: logistic ? c["y_train"] as! [Int] : [], testLabels: logistic ? c["y_test"] as! [Int] : [],
                             trainY: yTrain, testY: yTest, fits: c["fits"] as! [[String: Any]])
        }
    }
}

/// A JSON array of rows as a matrix.
func matrix(_ any: Any?) -> Matrix<Double> {
    Matrix((any as! [Any]).map { doubles($0) })
}
