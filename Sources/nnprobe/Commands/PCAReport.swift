import NNModelAnalyses

extension PCAReport {
    /// The human-readable form: a table of layers, then angles and leakage.
    func text() -> String {
        let probe = variedTask == "all" ? "all inputs (plain PCA)" : "\(variedTask) varied on a \(gridSize)-point grid, \(contexts) held contexts, centred per context"
        var lines = ["\(file): \(probe)"]
        var table = TextTable("layer", "samples", "width", "explained variance ratio (top \(nComponents))", "90%", "95%", "99%", "PR")
        for l in layers {
            table.add("layer_\(l.layer)", String(l.nSamples), String(l.nFeatures),
                      l.explainedVarianceRatio.prefix(nComponents).map { formatNumber($0, digits: 3) }.joined(separator: " "),
                      String(l.componentsFor90), String(l.componentsFor95), String(l.componentsFor99), formatNumber(l.participationRatio))
        }
        lines.append(table.render())
        if !principalAngles.isEmpty {
            lines.append("")
            lines.append("principal angles between top-\(nComponents) subspaces (degrees):")
            for a in principalAngles {
                lines.append("  layer_\(a.layer) \(a.tasks.joined(separator: " vs ")): " + a.anglesDegrees.map { formatNumber($0, digits: 3) }.joined(separator: " "))
            }
        }
        for l in leakage {
            lines.append("leakage \(l.from) → \(l.to): \(l.to)'s outputs move \(formatNumber(l.ratio)) × as much as \(l.from)'s")
        }
        return lines.joined(separator: "\n")
    }
}
