import Foundation
import NNLinalg

/// What the singular values of one weight matrix say, for any shape down to 1 × 1.
///
/// For W (m × n) with singular values σ₁ ≥ … ≥ σ_r (r = min(m, n); `Matrix.singularValuesFast`,
/// within ~1e-8 relative of LAPACK's `gesdd`):
/// - stable rank ‖W‖²_F / ‖W‖²₂;
/// - effective rank exp(H(p)), pᵢ = σᵢ / Σσ (Roy & Vetterli 2007);
/// - participation ratio (Σσᵢ²)² / Σσᵢ⁴;
/// - numerical rank: σᵢ > σ₁ · max(m, n) · ε with ε = 2⁻²³ (float32, the weights' precision; numpy's rule);
/// - condition number σ₁ / σ_r (∞ when σ_r = 0);
/// - energy in the top k: Σ_{i≤k} σᵢ² / Σσᵢ²;
/// - near-equal groups: runs of consecutive leading values whose relative gap (σᵢ − σᵢ₊₁)/σᵢ is
///   under `groupTolerance`, read by the reference study as orthogonal processing in a subspace;
/// - above the random-matrix edge: σᵢ > s(√m + √n) with s = ‖W‖_F/√(mn), the largest singular value
///   of an m × n matrix of i.i.d. entries of the same scale (Marchenko–Pastur bulk edge).
public struct Spectrum: Sendable {
    public let rows: Int
    public let cols: Int
    public let singularValues: [Double]
    public let spectralNorm: Double
    public let frobeniusNorm: Double
    public let stableRank: Double
    public let effectiveRank: Double
    public let participationRatio: Double
    public let numericalRank: Int
    public let rankTolerance: Double
    public let conditionNumber: Double
    /// Σ_{i≤k} σᵢ² / Σσᵢ² for k = 1 … r.
    public let cumulativeEnergy: [Double]
    /// Index ranges (0-based, into `singularValues`) of near-equal runs of two or more values.
    public let nearEqualGroups: [ClosedRange<Int>]
    public let randomMatrixEdge: Double
    public let aboveRandomEdge: Int
    /// U (m × r) and Vᵀ (r × n) when asked for.
    public let u: Matrix<Double>?
    public let vt: Matrix<Double>?

    /// Float32 machine epsilon, the precision the weights were stored in.
    public static let weightEpsilon = Double(Float.ulpOfOne)

    /// Decomposes `w`: singular values only (`singularValuesFast`), or the full SVD with `vectors`.
    public init(_ w: Matrix<Double>, vectors: Bool = false, groupTolerance: Double = 0.05) throws {
        if vectors {
            let d = try w.svd()
            self.init(rows: w.rows, cols: w.cols, singularValues: d.singularValues, u: d.u, vt: d.vt, groupTolerance: groupTolerance)
        } else {
            self.init(rows: w.rows, cols: w.cols, singularValues: try w.singularValuesFast(), groupTolerance: groupTolerance)
        }
    }

    /// The metrics of a `rows × cols` matrix whose singular values (descending, min(rows, cols) of
    /// them) are `s`, computed elsewhere; `u` and `vt` are carried along when given.
    public init(rows: Int, cols: Int, singularValues s: [Double], u: Matrix<Double>? = nil, vt: Matrix<Double>? = nil,
                groupTolerance: Double = 0.05) {
        self.rows = rows
        self.cols = cols
        self.u = u
        self.vt = vt
        singularValues = s
        let squares = s.map { $0 * $0 }
        let total = squares.reduce(0, +)
        let top = s.first ?? 0
        spectralNorm = top
        frobeniusNorm = total.squareRoot()
        stableRank = top > 0 ? total / (top * top) : 0
        let sum = s.reduce(0, +)
        let entropy = sum > 0 ? s.reduce(0.0) { h, x in x > 0 ? h - (x / sum) * log(x / sum) : h } : 0
        effectiveRank = sum > 0 ? exp(entropy) : 0
        let fourth = squares.reduce(0) { $0 + $1 * $1 }
        participationRatio = fourth > 0 ? total * total / fourth : 0
        let tolerance = top * Double(Swift.max(rows, cols)) * Self.weightEpsilon
        rankTolerance = tolerance
        numericalRank = s.filter { $0 > tolerance }.count
        conditionNumber = s.isEmpty ? .nan : (s.last! > 0 ? top / s.last! : .infinity)
        var running = 0.0
        cumulativeEnergy = squares.map { running += $0; return total > 0 ? running / total : 0 }
        var groups: [ClosedRange<Int>] = []
        var start = 0
        for i in 0..<s.count {
            let closesRun = i == s.count - 1 || !(s[i] > 0 && (s[i] - s[i + 1]) / s[i] < groupTolerance)
            if closesRun {
                if i > start { groups.append(start...i) }
                start = i + 1
            }
        }
        nearEqualGroups = groups
        let scale = rows * cols > 0 ? total.squareRoot() / Double(rows * cols).squareRoot() : 0
        let edge = scale * (Double(rows).squareRoot() + Double(cols).squareRoot())
        randomMatrixEdge = edge
        aboveRandomEdge = s.filter { $0 > edge * (1 + 1e-12) }.count
    }

    /// The spectra of several weight matrices (converted to Float64 one at a time), computed side by
    /// side on all cores when there is enough work (Σ m·n·min(m, n) of 10⁷ flops or more) to repay it.
    /// A matrix with NaN or ±∞ entries throws `NonFiniteError` naming it (`names[i]`, when given)
    /// before any LAPACK call.
    public static func of<T: LinalgScalar>(_ weights: [Matrix<T>], names: [String]? = nil, vectors: Bool = false,
                          groupTolerance: Double = 0.05) throws -> [Spectrum] {
        precondition(names == nil || names!.count == weights.count, "one name per weight matrix")
        let spectrum: @Sendable (Int) throws -> Spectrum = { i in
            try weights[i].requireFinite(name: names?[i])
            return try Spectrum(weights[i].converted(to: Double.self), vectors: vectors, groupTolerance: groupTolerance)
        }
        let work = weights.reduce(0.0) { $0 + Double($1.rows * $1.cols * Swift.min($1.rows, $1.cols)) }
        let indices = Array(weights.indices)
        return work >= 1e7 ? try indices.concurrentMap(spectrum) : try indices.map(spectrum)
    }

    /// Energy in the top `k` singular values (k is clamped to 1 … r).
    public func energy(top k: Int) -> Double {
        cumulativeEnergy.isEmpty ? 0 : cumulativeEnergy[Swift.min(Swift.max(k, 1), cumulativeEnergy.count) - 1]
    }
}
