import NNAnalysis
import NNLinalg

/// The document `svd` prints (schema `nnprobe.svd/1`, see docs/json.md).
struct SVDReport: Encodable {
    struct Layer: Encodable, Sendable {
        let name: String
        let shape: [Int]
        let singularValues: [Double]
        let spectralNorm, frobeniusNorm, stableRank, effectiveRank, participationRatio: Double
        let numericalRank: Int
        let rankTolerance: Double
        let conditionNumber: Double
        let energyTopK: Double
        let cumulativeEnergy: [Double]
        let nearEqualGroups: [[Int]]
        let randomMatrixEdge: Double
        let aboveRandomEdge: Int
        let u: [[Double]]?
        let vt: [[Double]]?

        enum CodingKeys: String, CodingKey {
            case name, shape, u, vt
            case singularValues = "singular_values", spectralNorm = "spectral_norm", frobeniusNorm = "frobenius_norm"
            case stableRank = "stable_rank", effectiveRank = "effective_rank", participationRatio = "participation_ratio"
            case numericalRank = "numerical_rank", rankTolerance = "rank_tolerance", conditionNumber = "condition_number"
            case energyTopK = "energy_top_k", cumulativeEnergy = "cumulative_energy", nearEqualGroups = "near_equal_groups"
            case randomMatrixEdge = "random_matrix_edge", aboveRandomEdge = "above_random_edge"
        }

        init(name: String, spectrum s: Spectrum, top: Int) {
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

        /// The scalar metrics summarised across checkpoints.
        var metrics: [(String, Double)] {
            [("spectral_norm", spectralNorm), ("frobenius_norm", frobeniusNorm), ("stable_rank", stableRank),
             ("effective_rank", effectiveRank), ("participation_ratio", participationRatio),
             ("numerical_rank", Double(numericalRank)), ("condition_number", conditionNumber),
             ("energy_top_k", energyTopK), ("above_random_edge", Double(aboveRandomEdge))]
        }
    }

    struct File: Encodable, Sendable {
        let file: String
        let layers: [Layer]
    }

    let schema = "nnprobe.svd/1"
    let files: [File]
    /// The files that could not be analysed (key absent when none).
    let errors: [FileError]
    let topK: Int
    let groupTolerance: Double
    let rankEpsilon = Spectrum.weightEpsilon

    enum CodingKeys: String, CodingKey {
        case schema, files, errors, distribution, timeline
        case topK = "top_k", groupTolerance = "group_tolerance", rankEpsilon = "rank_epsilon"
    }

    /// For a run's `--save-every` snapshots: each layer's stable rank over epochs.
    var timeline: Timeline? {
        Timeline(files: files.map(\.file)) { i in files[i].layers.map { ("\($0.name) stable_rank", $0.stableRank) }
            + files[i].layers.map { ("\($0.name) spectral_norm", $0.spectralNorm) } }
    }

    init(files: [File], errors: [FileError] = [], top: Int, groupTolerance: Double) {
        self.files = files
        self.errors = errors
        topK = top
        self.groupTolerance = groupTolerance
    }

    /// Per layer, per metric, the distribution across files (only with several files).
    var distribution: [(layer: String, metrics: NamedDistributions)] {
        guard files.count > 1 else { return [] }
        var layerOrder: [String] = []
        var samples: [String: [(key: String, value: Double)]] = [:]
        for file in files {
            for layer in file.layers {
                if samples[layer.name] == nil { layerOrder.append(layer.name) }
                samples[layer.name, default: []] += layer.metrics.map { (key: $0.0, value: $0.1) }
            }
        }
        return layerOrder.map { ($0, NamedDistributions(entries: distributions(samples[$0]!))) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(files, forKey: .files)
        if !errors.isEmpty { try c.encode(errors, forKey: .errors) }
        try c.encode(topK, forKey: .topK)
        try c.encode(groupTolerance, forKey: .groupTolerance)
        try c.encode(rankEpsilon, forKey: .rankEpsilon)
        try c.encodeIfPresent(timeline, forKey: .timeline)
        if files.count > 1 {
            var d = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .distribution)
            for (layer, metrics) in distribution { try d.encode(metrics, forKey: AnyCodingKey(layer)) }
        }
    }

    func text() -> String {
        // Each file's table is rendered on all cores: thousands of them are most of the time.
        let topK = topK
        var lines = files.concurrentMap { file in Self.table(of: file, topK: topK) }
        let summary = distribution
        if !summary.isEmpty {
            lines.append("across \(files.count) files (mean ± std [min, max]):")
            var table = TextTable("layer", "stable rank", "effective rank", "spectral norm", "energy top \(topK)", "> MP edge")
            for (layer, metrics) in summary {
                let m = Dictionary(uniqueKeysWithValues: metrics.entries.map { ($0.key, $0.distribution.text) })
                table.add(layer, m["stable_rank"]!, m["effective_rank"]!, m["spectral_norm"]!, m["energy_top_k"]!, m["above_random_edge"]!)
            }
            lines.append(table.render())
        }
        if let timeline { lines.append(""); lines.append(timeline.text(title: "spectra")) }
        return lines.joined(separator: "\n").trimmingTrailingSpaces()
    }

    /// One file's name and table of layers, and a blank line.
    private static func table(of file: File, topK: Int) -> String {
        var lines = [file.file]
        var table = TextTable("layer", "shape", "top σ", "‖W‖₂", "‖W‖F", "stable rk", "eff rk", "PR", "num rk", "cond",
                              "energy top \(topK)", "near-equal", "> MP edge")
        for l in file.layers {
            table.add(l.name, "\(l.shape[0])×\(l.shape[1])",
                      l.singularValues.prefix(topK).map { formatNumber($0, digits: 3) }.joined(separator: " "),
                      formatNumber(l.spectralNorm), formatNumber(l.frobeniusNorm), formatNumber(l.stableRank),
                      formatNumber(l.effectiveRank), formatNumber(l.participationRatio), String(l.numericalRank),
                      formatNumber(l.conditionNumber), formatNumber(l.energyTopK),
                      l.nearEqualGroups.isEmpty ? "-" : l.nearEqualGroups.map { "σ\($0[0] + 1)–σ\($0[1] + 1)" }.joined(separator: ","),
                      "\(l.aboveRandomEdge)/\(l.singularValues.count)")
        }
        lines.append(table.render())
        lines.append("")
        return lines.joined(separator: "\n")
    }
}
