import NNAnalysis
import NNLinalg

/// PCA of each layer's activations while one sub-task's inputs sweep a grid (or over a whole
/// split), from a checkpoint or an activation dump: what `nnprobe pca` reports.
public enum ActivationPCA {
    /// What to analyse.
    public struct Settings: Sendable {
        /// The sub-task whose inputs vary, or all (plain PCA over the test split).
        public var vary: VariedInputs
        /// Only this trunk layer (setting `layer`), or every layer.
        public var layer: Int?
        /// Grid points per varied input, and held contexts (probe grids of checkpoints).
        public var gridSize: Int
        public var contexts: Int
        /// Components listed, and k for principal angles.
        public var components: Int
        /// Pre-activations (before the nonlinearity) instead of layer outputs.
        public var preActivations: Bool

        /// The settings `nnprobe pca` uses by default: plain PCA of every layer, a 21-point grid, 5 contexts, 3 components.
        public init(vary: VariedInputs = .all, layer: Int? = nil, gridSize: Int = 21, contexts: Int = 5,
                    components: Int = 3, preActivations: Bool = false) {
            self.vary = vary
            self.layer = layer
            self.gridSize = gridSize
            self.contexts = contexts
            self.components = components
            self.preActivations = preActivations
        }
    }

    /// Rows streamed from a dump at a time.
    static let blockRows = 65_536

    /// The layers to analyse among `count`: all, or `settings.layer` (setting `layer`).
    static func selectedLayers(count: Int, settings: Settings) throws(AnalysisError) -> [Int] {
        guard let layer = settings.layer else { return Array(0..<count) }
        guard (0..<count).contains(layer) else { throw .activationLayerOutOfRange(layer, count: count) }
        return [layer]
    }

    /// The principal components of the N × `width` rows of `values`, centred per context
    /// (`contexts`, or all together when nil), and their report entry for `layer`.
    static func analyse(_ values: [Float], width: Int, contexts: [Int32]?, layer: Int,
                        components: Int) throws -> (entry: PCAReport.Layer, pcs: PrincipalComponents) {
        var accumulator = CovarianceAccumulator(dimension: width)
        accumulator.add(Matrix(rows: values.count / width, cols: width, storage: values), contexts: contexts.map { $0[...] })
        let pcs = try PrincipalComponents(covariance: accumulator.covariance(), samples: accumulator.count)
        return (PCAReport.Layer(layer: layer, pcs: pcs, contexts: accumulator.contextCount, components: components), pcs)
    }
}
