import NNAnalysis

/// The document `pca` prints (schema `nnprobe.pca/1`, see docs/json.md).
struct PCAReport: Encodable {
    struct Layer: Encodable {
        let layer: Int
        let nSamples: Int
        let nFeatures: Int
        let nContexts: Int
        let explainedVariance: [Double]
        let explainedVarianceRatio: [Double]
        let cumulativeRatio: [Double]
        let componentsFor90: Int
        let componentsFor95: Int
        let componentsFor99: Int
        let participationRatio: Double
        let components: [[Double]]

        enum CodingKeys: String, CodingKey {
            case layer, components
            case nSamples = "n_samples", nFeatures = "n_features", nContexts = "n_contexts"
            case explainedVariance = "explained_variance", explainedVarianceRatio = "explained_variance_ratio"
            case cumulativeRatio = "cumulative_ratio", participationRatio = "participation_ratio"
            case componentsFor90 = "n_components_90", componentsFor95 = "n_components_95", componentsFor99 = "n_components_99"
        }

        init(layer: Int, pcs: PrincipalComponents, contexts: Int, components: Int) {
            self.layer = layer
            nSamples = pcs.nSamples
            nFeatures = pcs.components.cols
            nContexts = contexts
            explainedVariance = pcs.explainedVariance
            explainedVarianceRatio = pcs.explainedVarianceRatio
            cumulativeRatio = pcs.cumulativeRatio
            componentsFor90 = pcs.componentsNeeded(for: 0.90)
            componentsFor95 = pcs.componentsNeeded(for: 0.95)
            componentsFor99 = pcs.componentsNeeded(for: 0.99)
            participationRatio = pcs.participationRatio
            let top = pcs.top(components)
            self.components = (0..<top.rows).map { top.row($0) }
        }
    }

    struct Angles: Encodable {
        let layer: Int
        let tasks: [String]
        let k: Int
        let anglesDegrees: [Double]
        enum CodingKeys: String, CodingKey { case layer, tasks, k; case anglesDegrees = "angles_degrees" }
    }

    struct Leakage: Encodable {
        let from: String
        let to: String
        let ratio: Double
    }

    let schema = "nnprobe.pca/1"
    let file: String
    let source: String
    let variedTask: String
    let gridSize: Int
    let contexts: Int
    let nComponents: Int
    var layers: [Layer] = []
    var principalAngles: [Angles] = []
    var leakage: [Leakage] = []

    enum CodingKeys: String, CodingKey {
        case schema, file, source, contexts, layers, leakage
        case variedTask = "varied_task", gridSize = "grid_size", nComponents = "n_components", principalAngles = "principal_angles"
    }

    init(file: String, source: String, variedTask: String, gridSize: Int, contexts: Int, components: Int) {
        self.file = file
        self.source = source
        self.variedTask = variedTask
        self.gridSize = gridSize
        self.contexts = contexts
        nComponents = components
    }

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
