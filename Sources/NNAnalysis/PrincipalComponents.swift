import Foundation
import NNLinalg

/// Principal components of a covariance matrix, named as scikit-learn names them.
///
/// `explainedVariance` are the covariance's eigenvalues, descending; `explainedVarianceRatio`
/// divides them by their sum (the total variance); `components` holds the unit eigenvectors as
/// rows, each signed so its largest-magnitude entry is positive (scikit-learn's `svd_flip` on V).
public struct PrincipalComponents: Sendable {
    public let nSamples: Int
    public let explainedVariance: [Double]
    public let explainedVarianceRatio: [Double]
    public let cumulativeRatio: [Double]
    public let components: Matrix<Double>
    /// (Σλ)² / Σλ²: how many dimensions the variance effectively spreads over.
    public let participationRatio: Double

    public init(covariance: Matrix<Double>, samples: Int) throws {
        let e = try covariance.symmetricEigen()
        let values = e.values.map { Swift.max($0, 0) }   // round-off can make zero eigenvalues slightly negative
        nSamples = samples
        explainedVariance = values
        let total = values.reduce(0, +)
        explainedVarianceRatio = values.map { total > 0 ? $0 / total : 0 }
        var running = 0.0
        cumulativeRatio = explainedVarianceRatio.map { running += $0; return running }
        components = e.vectors
        let squares = values.reduce(0) { $0 + $1 * $1 }
        participationRatio = squares > 0 ? total * total / squares : 0
    }

    /// The fewest components whose cumulative ratio reaches `threshold` (e.g. 0.9).
    public func componentsNeeded(for threshold: Double) -> Int {
        (cumulativeRatio.firstIndex { $0 >= threshold - 1e-12 } ?? (cumulativeRatio.count - 1)) + 1
    }

    /// The top `k` components as rows (k × d).
    public func top(_ k: Int) -> Matrix<Double> {
        let k = Swift.min(k, components.rows)
        return Matrix(rows: k, cols: components.cols, storage: Array(components.storage.prefix(k * components.cols)))
    }
}

/// Principal angles between the row spaces of two orthonormal bases (k₁ × d and k₂ × d), in
/// degrees, smallest first: θᵢ = arccos σᵢ(A Bᵀ).
public func principalAngles(_ a: Matrix<Double>, _ b: Matrix<Double>) throws -> [Double] {
    let m = a * b.transposed
    return try m.singularValues().map { acos(Swift.min(1, Swift.max(-1, $0))) * 180 / .pi }
}
