import NNAnalysis
import NNLinalg

/// What the singular values of one weight matrix say (`nnprobe svd`, one entry of a file's
/// `layers`; schema `nnprobe.svd/1`, see docs/json.md).
public struct LayerSpectrum: Encodable, Sendable {
    public let name: String
    public let shape: [Int]
    public let singularValues: [Double]
    public let spectralNorm, frobeniusNorm, stableRank, effectiveRank, participationRatio: Double
    public let numericalRank: Int
    public let rankTolerance: Double
    public let conditionNumber: Double
    /// Share of Σσ² in the top `top` values.
    public let energyTopK: Double
    public let cumulativeEnergy: [Double]
    /// Runs of near-equal leading values, as [first, last] indices.
    public let nearEqualGroups: [[Int]]
    public let randomMatrixEdge: Double
    public let aboveRandomEdge: Int
    /// U and Vᵀ, when asked for.
    public let u: [[Double]]?
    public let vt: [[Double]]?

    enum CodingKeys: String, CodingKey {
        case name, shape, u, vt
        case singularValues = "singular_values", spectralNorm = "spectral_norm", frobeniusNorm = "frobenius_norm"
        case stableRank = "stable_rank", effectiveRank = "effective_rank", participationRatio = "participation_ratio"
        case numericalRank = "numerical_rank", rankTolerance = "rank_tolerance", conditionNumber = "condition_number"
        case energyTopK = "energy_top_k", cumulativeEnergy = "cumulative_energy", nearEqualGroups = "near_equal_groups"
        case randomMatrixEdge = "random_matrix_edge", aboveRandomEdge = "above_random_edge"
    }

    /// The entry for matrix `name` of spectrum `s`, with the energy of its top `top` values.
    public init(name: String, spectrum s: Spectrum, top: Int) {
        self.name = name
        shape = [s.rows, s.cols]
        singularValues = s.singularValues
        spectralNorm = s.spectralNorm
        frobeniusNorm = s.frobeniusNorm
        stableRank = s.stableRank
        effectiveRank = s.effectiveRank
        participationRatio = s.participationRatio
        numericalRank = s.numericalRank
        rankTolerance = s.rankTolerance
        conditionNumber = s.conditionNumber
        energyTopK = s.energy(top: top)
        cumulativeEnergy = s.cumulativeEnergy
        nearEqualGroups = s.nearEqualGroups.map { [$0.lowerBound, $0.upperBound] }
        randomMatrixEdge = s.randomMatrixEdge
        aboveRandomEdge = s.aboveRandomEdge
        u = s.u.map { m in (0..<m.rows).map { m.row($0) } }
        vt = s.vt.map { m in (0..<m.rows).map { m.row($0) } }
    }

    /// The spectra of `weights` (all matrices, or trunk layer `layer` alone), decomposed side by
    /// side; `top` is k for the energy in the top k. Throws `AnalysisError` for a layer out of
    /// range, `NonFiniteError`/`LinalgError` from the decompositions.
    public static func of(_ weights: ModelWeights, layer: Int? = nil, vectors: Bool = false, groupTolerance: Double = 0.05,
                          top: Int = 3) throws -> [LayerSpectrum] {
        let selected = try weights.select(layer: layer)
        let spectra = try Spectrum.of(selected.map(\.weight), names: selected.map { weights.label(of: $0.name) },
                                      vectors: vectors, groupTolerance: groupTolerance)
        return zip(selected, spectra).map { LayerSpectrum(name: $0.name, spectrum: $1, top: top) }
    }

    /// The scalar metrics summarised across checkpoints.
    public var metrics: [(String, Double)] {
        [("spectral_norm", spectralNorm), ("frobenius_norm", frobeniusNorm), ("stable_rank", stableRank),
         ("effective_rank", effectiveRank), ("participation_ratio", participationRatio),
         ("numerical_rank", Double(numericalRank)), ("condition_number", conditionNumber),
         ("energy_top_k", energyTopK), ("above_random_edge", Double(aboveRandomEdge))]
    }
}
