import NNModelAnalyses

/// The document `grads` prints (schema `nnprobe.grads/1`, see docs/json.md).
struct GradsReport: Encodable {
    let schema = "nnprobe.grads/1"
    let vanishingThreshold: Double
    let explodingThreshold: Double
    let files: [GradientFlowSummary]
    /// The files that could not be analysed (key absent when none).
    let errors: [FileError]?
    enum CodingKeys: String, CodingKey {
        case schema, files, errors
        case vanishingThreshold = "vanishing_threshold", explodingThreshold = "exploding_threshold"
    }

    /// The human-readable form: per file, a table of tensors and the mean weight-gradient norm per epoch.
    func text() -> String {
        var lines: [String] = []
        for file in files {
            lines.append("\(file.file)  (means over the first and last \(file.stepsKept) steps)")
            var table = TextTable("tensor", "first ‖g‖", "last ‖g‖", "first mean|g|", "last mean|g|", "first std|g|", "last std|g|", "flags")
            for t in file.tensors {
                table.add(t.name, formatNumber(t.first.norm), formatNumber(t.last.norm),
                          formatNumber(t.first.meanAbs), formatNumber(t.last.meanAbs),
                          formatNumber(t.first.stdAbs), formatNumber(t.last.stdAbs),
                          t.flags.isEmpty ? "-" : t.flags.map(\.rawValue).joined(separator: ","))
            }
            lines.append(table.render())
            let weights = file.tensors.filter { $0.name.hasSuffix(".weight") }
            if let epochs = weights.first?.epochMeanNorm.count, epochs > 0 {
                // Epochs as rows, at most 12 of them evenly spaced (always the first and last).
                let shown = Array(Set((0..<min(12, epochs)).map { $0 * (epochs - 1) / max(1, min(12, epochs) - 1) })).sorted()
                lines.append("\nmean ‖g‖ per epoch (weights):")
                var curves = TextTable(["epoch"] + weights.map(\.name))
                for e in shown { curves.add([String(e + 1)] + weights.map { formatNumber($0.epochMeanNorm[e], digits: 3) }) }
                lines.append(curves.render())
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
