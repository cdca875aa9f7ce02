import NNAnalysis
import NNLinalg

/// What the singular values of one weight matrix say (`nnprobe svd`, one entry of a file's
/// `layers`; schema `nnprobe.svd/1`, see docs/json.md). A conv layer has one entry per view
/// asked for (`convolution` says which), each the spectrum of that view's matrix.
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
    /// For a conv layer: which of its matrices the values are of, and how the layer was applied;
    /// nil for a weight matrix (a linear layer, a head, any layer of an MLP).
    public let convolution: ConvolutionView?

    enum CodingKeys: String, CodingKey {
        case name, shape, u, vt
        case singularValues = "singular_values", spectralNorm = "spectral_norm", frobeniusNorm = "frobenius_norm"
        case stableRank = "stable_rank", effectiveRank = "effective_rank", participationRatio = "participation_ratio"
        case numericalRank = "numerical_rank", rankTolerance = "rank_tolerance", conditionNumber = "condition_number"
        case energyTopK = "energy_top_k", cumulativeEnergy = "cumulative_energy", nearEqualGroups = "near_equal_groups"
        case randomMatrixEdge = "random_matrix_edge", aboveRandomEdge = "above_random_edge"
    }

    /// The entry for matrix `name` of spectrum `s`, with the energy of its top `top` values;
    /// `convolution` when `s` is a view of a conv layer.
    public init(name: String, spectrum s: Spectrum, top: Int, convolution: ConvolutionView? = nil) {
        self.name = name
        self.convolution = convolution
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

    /// How the entry is named where layers' views are listed together (the distribution across
    /// files, the timeline, the figure): the layer's name, followed by the view for a conv layer.
    public var label: String { convolution.map { "\(name) \($0.view.rawValue)" } ?? name }

    /// The scalar metrics summarised across checkpoints.
    public var metrics: [(String, Double)] {
        [("spectral_norm", spectralNorm), ("frobenius_norm", frobeniusNorm), ("stable_rank", stableRank),
         ("effective_rank", effectiveRank), ("participation_ratio", participationRatio),
         ("numerical_rank", Double(numericalRank)), ("condition_number", conditionNumber),
         ("energy_top_k", energyTopK), ("above_random_edge", Double(aboveRandomEdge))]
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(shape, forKey: .shape)
        try c.encode(singularValues, forKey: .singularValues)
        try c.encode(spectralNorm, forKey: .spectralNorm)
        try c.encode(frobeniusNorm, forKey: .frobeniusNorm)
        try c.encode(stableRank, forKey: .stableRank)
        try c.encode(effectiveRank, forKey: .effectiveRank)
        try c.encode(participationRatio, forKey: .participationRatio)
        try c.encode(numericalRank, forKey: .numericalRank)
        try c.encode(rankTolerance, forKey: .rankTolerance)
        try c.encode(conditionNumber, forKey: .conditionNumber)
        try c.encode(energyTopK, forKey: .energyTopK)
        try c.encode(cumulativeEnergy, forKey: .cumulativeEnergy)
        try c.encode(nearEqualGroups, forKey: .nearEqualGroups)
        try c.encode(randomMatrixEdge, forKey: .randomMatrixEdge)
        try c.encode(aboveRandomEdge, forKey: .aboveRandomEdge)
        try c.encodeIfPresent(u, forKey: .u)
        try c.encodeIfPresent(vt, forKey: .vt)
        try convolution?.encode(to: encoder)   // its keys beside these (see `ConvolutionView`)
    }
}
