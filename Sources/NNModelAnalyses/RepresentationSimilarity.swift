import NNAnalysis
import NNLinalg

/// Representation similarity between models or between the layers of one model, on the same
/// rows: what `nnprobe similarity` reports (the measures are `NNAnalysis.SimilarityMeasure`).
public enum RepresentationSimilarity {
    /// One set of representations compared with each other: every measure's K × K matrix.
    public struct Comparison: Sendable {
        /// The layer compared across models; nil when the layers of one model are compared.
        public let layer: Int?
        /// Width of each representation.
        public let widths: [Int]
        /// One matrix per measure, in the order asked.
        public let matrices: [SimilarityMatrix]
    }

    /// The layers compared across `models`: `layer` (which every model must have; setting `layer`)
    /// or every layer index all of them have.
    public static func sharedLayers(_ models: [LayerRepresentations], layer: Int?) throws(AnalysisError) -> [Int] {
        let shared = models.map(\.layers.count).min() ?? 0
        guard let layer else { return Array(0..<shared) }
        guard (0..<shared).contains(layer) else { throw .activationLayerOutOfRange(layer, count: shared) }
        return [layer]
    }

    /// Each of `layers` across all `models` (K ≥ 1): one comparison per layer.
    public static func acrossModels(_ models: [LayerRepresentations], layers: [Int], measures: [SimilarityMeasure]) throws -> [Comparison] {
        try layers.map { l in
            let representations = models.map { $0.layers[l] }
            return Comparison(layer: l, widths: representations.map(\.cols),
                              matrices: try PairwiseSimilarity.compute(representations, measures: measures))
        }
    }

    /// Every layer of one model against every other.
    public static func acrossLayers(_ model: LayerRepresentations, measures: [SimilarityMeasure]) throws -> Comparison {
        Comparison(layer: nil, widths: model.layers.map(\.cols),
                   matrices: try PairwiseSimilarity.compute(model.layers, measures: measures))
    }
}
