import Foundation
import NNLinalg

/// Values computed by numpy/scikit-learn in Fixtures/make_fixtures.py.
struct Reference: @unchecked Sendable {  // immutable after loading
    let json: [String: Any]

    static let shared: Reference = {
        let url = Bundle.module.url(forResource: "Fixtures/reference", withExtension: "json")!
        return Reference(json: try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any])
    }()

    subscript(_ key: String) -> [String: Any] { json[key] as! [String: Any] }
}

func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }

/// |a − b| ≤ tolerance · max(|b|, floor): relative where values are large, absolute near zero.
func agrees(_ a: Double, _ b: Double, _ tolerance: Double, floor: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}
