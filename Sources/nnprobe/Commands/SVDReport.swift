import NNAnalysis
import NNLinalg
import NNModelAnalyses

/// The document `svd` prints (schema `nnprobe.svd/1`, see docs/json.md).
struct SVDReport: Encodable {
    struct File: Encodable, Sendable {
        let file: String
        /// The run: the file name without its extension, as the sweep index names runs.
        let run: String
        /// The run's seed (`null` for a safetensors file, a pack of format 1, or a file without one).
        let seed: Int64?
        let layers: [LayerSpectrum]

        init(file: String, seed: Int64?, layers: [LayerSpectrum]) {
            self.file = file
            run = runName(of: file)
            self.seed = seed
            self.layers = layers
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(run, forKey: .run)
            try c.encode(seed, forKey: .seed)   // null, not absent, when unknown
            try c.encode(layers, forKey: .layers)
        }
        enum CodingKeys: String, CodingKey { case file, run, seed, layers }
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
        Timeline(files: files.map(\.file)) { i in files[i].layers.map { ("\($0.label) stable_rank", $0.stableRank) }
            + files[i].layers.map { ("\($0.label) spectral_norm", $0.spectralNorm) } }
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
                if samples[layer.label] == nil { layerOrder.append(layer.label) }
                samples[layer.label, default: []] += layer.metrics.map { (key: $0.0, value: $0.1) }
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

    /// One file's name and table of layers, and a blank line. A file with conv layers has a view
    /// column, and below the table what each view is and why marked rows are approximate.
    private static func table(of file: File, topK: Int) -> String {
        var lines = [file.file]
        let views = file.layers.compactMap(\.convolution)
        let columns = ["layer"] + (views.isEmpty ? [] : ["view"])
            + ["shape", "top σ", "‖W‖₂", "‖W‖F", "stable rk", "eff rk", "PR", "num rk", "cond", "energy top \(topK)", "near-equal", "> MP edge"]
        var table = TextTable(columns)
        for l in file.layers {
            var groups = l.nearEqualGroups.map { "σ\($0[0] + 1)–σ\($0[1] + 1)" }
            if l.convolution != nil && groups.count > 3 { groups = groups.prefix(3) + ["… (\(groups.count) runs)"] }
            table.add([l.name] + (views.isEmpty ? [] : [l.convolution.map(viewCell) ?? "-"])
                      + ["\(l.shape[0])×\(l.shape[1])",
                         l.singularValues.prefix(topK).map { formatNumber($0, digits: 3) }.joined(separator: " "),
                         formatNumber(l.spectralNorm), formatNumber(l.frobeniusNorm), formatNumber(l.stableRank),
                         formatNumber(l.effectiveRank), formatNumber(l.participationRatio), String(l.numericalRank),
                         formatNumber(l.conditionNumber), formatNumber(l.energyTopK),
                         groups.isEmpty ? "-" : groups.joined(separator: ","),
                         "\(l.aboveRandomEdge)/\(l.singularValues.count)"])
        }
        lines.append(table.render())
        for view in ConvolutionSpectrumView.allCases where views.contains(where: { $0.view == view }) {
            lines.append("\(view.rawValue): \(view.summary)")
        }
        let caveats = Set(views.flatMap(\.caveats))
        for caveat in ConvolutionSpectrumCaveat.allCases where caveats.contains(caveat) {
            lines.append("\(caveat.mark) \(caveat.rawValue): \(caveat.explanation)")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// `operator 28×28`, `operator 28×28 circular`, `flattened`, … with a mark per caveat.
    private static func viewCell(_ c: ConvolutionView) -> String {
        guard c.view == .linearOperator else { return c.view.rawValue }
        return "operator \(c.inputSize[0])×\(c.inputSize[1])\(c.circular ? " circular" : "")" + c.caveats.map(\.mark).joined()
    }
}

extension ConvolutionSpectrumCaveat {
    /// The mark of a row the caveat applies to, and of its explanation below the table.
    var mark: String {
        switch self {
        case .circularApproximationOfZeroPadding: "*"
        case .strideIgnored: "†"
        }
    }
}
