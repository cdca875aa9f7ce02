import NNModelAnalyses

/// The document `norms` prints (schema `nnprobe.norms/1`, see docs/json.md).
struct NormsReport: Encodable {
    let schema = "nnprobe.norms/1"
    let files: [WeightNorms]
    /// The files that could not be analysed (key absent when none).
    let errors: [FileError]?
    /// Per layer or head, the Frobenius norm's distribution across files (only with several).
    let distribution: NamedDistributions?
    /// For a run's `--save-every` snapshots: each Frobenius norm over epochs.
    let timeline: Timeline?

    init(files: [WeightNorms], errors: [FileError]) {
        self.files = files
        self.errors = errors.isEmpty ? nil : errors
        distribution = files.count > 1
            ? NamedDistributions(entries: distributions(files.flatMap { $0.entries.map { (key: $0.name, value: $0.frobeniusNorm) } }))
            : nil
        timeline = Timeline(files: files.map(\.file)) { i in files[i].entries.map { ($0.name, $0.frobeniusNorm) } }
    }

    /// The human-readable form: one table of every file's layers and heads, then the spread and the timeline.
    func text() -> String {
        var table = TextTable("file", "layer/head", "shape", "params", "‖W‖F", "‖W‖₂")
        for file in files {
            for e in file.entries {
                table.add(file.file, e.name, "\(e.shape[0])×\(e.shape[1])", String(e.parameterCount),
                          formatNumber(e.frobeniusNorm), formatNumber(e.spectralNorm))
            }
        }
        var parts = [table.render()]
        if let distribution {
            var summary = TextTable("layer/head", "‖W‖F")
            for (name, d) in distribution.entries { summary.add(name, d.text) }
            parts.append("\nFrobenius norm across \(files.count) files (mean ± std [min, max]):\n" + summary.render())
        }
        if let timeline { parts.append("\n" + timeline.text(title: "Frobenius norm")) }
        return parts.joined(separator: "\n")
    }
}
