import NNAnalysis
import NNCheckpoint

extension ActivationPCA {
    /// PCA of an activation dump's layers on the dump's own probe, streamed in row blocks
    /// (covariance accumulated in Float64), so memory does not grow with the row count. A conv
    /// net's image-shaped blocks are read as their pooled channels (N × C).
    /// `settings.vary` must be `all` or the dump's own varied task; grid settings are the dump's.
    /// Throws `AnalysisError` for another probe or a layer out of range.
    public static func of(_ reader: ActivationDumpReader, settings: Settings, file: String) throws -> PCAReport {
        let probe = reader.probe
        if let wanted = settings.vary.subtaskName, wanted != probe.variedTask {
            throw AnalysisError.dumpProbeMismatch(wanted: wanted, probe: probe)
        }
        let varies = probe.kind == .vary
        let contextIndex: [Int32]? = varies ? try reader.readAll(layersToo: false).contextIndex : nil
        var report = PCAReport(file: file, source: "dump", variedTask: varies ? probe.variedTask : "all",
                               gridSize: probe.gridSize, contexts: probe.contexts.rows, components: settings.components)
        for i in try selectedLayers(count: reader.layerCount, settings: settings) {
            var accumulator = CovarianceAccumulator(dimension: try reader.width(ofLayer: i, pre: settings.preActivations))
            var start = 0
            while start < reader.rowCount {
                let rows = start..<min(reader.rowCount, start + blockRows)
                accumulator.add(try reader.layerRows(i, rows: rows, pre: settings.preActivations), contexts: contextIndex?[rows])
                start = rows.upperBound
            }
            let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
            report.layers.append(.init(layer: i, pcs: pcs, contexts: accumulator.contextCount, components: settings.components))
        }
        return report
    }

    /// The dump's rows (at most 100,000) at `layer` on their own top two components, coloured by
    /// the first varied input (figure data).
    public static func projection(_ reader: ActivationDumpReader, layer: Int, preActivations: Bool) throws -> PCAProjection {
        let rows = 0..<min(reader.rowCount, 100_000)
        let values = try reader.layerRows(layer, rows: rows, pre: preActivations).storage
        let all = try reader.readAll(layersToo: false)
        let input = reader.probe.variedInputs.first ?? 0
        let varies = reader.probe.kind == .vary
        return try PCAProjection(values, width: try reader.width(ofLayer: layer, pre: preActivations),
                                 contexts: varies ? Array(all.contextIndex[rows]) : nil,
                                 colour: rows.map { Double(all.inputs[$0, input]) },
                                 task: varies ? reader.probe.variedTask : "all inputs", colourName: "input \(input)")
    }
}
