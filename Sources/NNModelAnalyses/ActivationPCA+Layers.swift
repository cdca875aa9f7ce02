import NNAnalysis
import NNCheckpoint
import NNModel
import NNTasks

extension ActivationPCA {
    /// PCA of a conv net's (a layer stack's) block activations over its test split: each block
    /// as `dump` stores it, an image-shaped block's features being its spatially pooled channels
    /// (N × C), a flat block's its units. With `projections`, the first selected block's rows on
    /// their own top two components, coloured by class (or by the first input for regression).
    ///
    /// Throws `AnalysisError.modelUnsupported` for a varied sub-task (grids of images are not
    /// probes nnprobe builds), `.activationLayerOutOfRange` for a block past the model's, and
    /// `LinalgError`/`NonFiniteError` from the decompositions.
    public static func of(_ model: LayerModel, task context: CheckpointTask, settings: Settings, file: String,
                          projections withProjections: Bool = false) throws -> (report: PCAReport, projections: [PCAProjection]) {
        if let name = settings.vary.subtaskName {
            throw AnalysisError.modelUnsupported(reason: "a conv net's PCA is over its test split; use --vary all, not --vary \(name)")
        }
        let network = try LayerNetwork<Float>(model)
        let data = context.splits.test
        let dump = DumpBuilder.dataset(network, data: data, split: .test, task: context.task.name, source: file, mapRows: 0)
        let k = settings.components
        var report = PCAReport(file: file, source: "checkpoint", variedTask: "all", gridSize: 0, contexts: 0, components: k)
        var projections: [PCAProjection] = []
        for i in try selectedLayers(count: dump.layers.count, settings: settings) {
            let features = dump.layers[i].features(pre: settings.preActivations)
            report.layers.append(try analyse(features.storage, width: features.cols, contexts: nil, layer: i, components: k).entry)
            if withProjections && projections.isEmpty {
                let byClass = data.labels.map { $0.map(Double.init) }
                projections.append(try PCAProjection(
                    features.storage, width: features.cols, contexts: nil,
                    colour: byClass ?? stride(from: 0, to: data.inputs.count, by: data.inputWidth).map { Double(data.inputs[$0]) },
                    task: "all inputs", colourName: byClass == nil ? "input 0" : "class"))
            }
        }
        return (report, projections)
    }
}
