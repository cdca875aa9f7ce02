import Foundation
import NNLinalg

/// The cases of Fixtures/similarity_reference.json (made by make_similarity_fixtures.py, numpy only).
struct SimilarityCase: @unchecked Sendable, CustomStringConvertible {  // immutable after loading
    let name: String
    let representations: [Matrix<Double>]
    let pairs: [[String: Any]]

    static let all: [SimilarityCase] = {
        let url = Bundle.module.url(forResource: "Fixtures/similarity_reference", withExtension: "json")!
        let json = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (json["cases"] as! [[String: Any]]).map { c in
            let rows = c["rows"] as! Int
            let widths = c["widths"] as! [Int]
            let reps = zip(widths, c["representations"] as! [Any]).map { Matrix(rows: rows, cols: $0, storage: doubles($1)) }
            return SimilarityCase(name: c["name"] as! String, representations: reps, pairs: c["pairs"] as! [[String: Any]])
        }
    }()

    var description: String { name }
}

/// Normal deviates from a fixed seed (SplitMix64 + Box–Muller), for tests that need random matrices.
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992
    }

    mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
    }

    mutating func matrix(_ rows: Int, _ cols: Int) -> Matrix<Double> {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in normal() })
    }
}
