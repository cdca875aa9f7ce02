import NNAnalysis

/// PCA of a model's activations, layer by layer (`nnprobe pca`; schema `nnprobe.pca/1`, see
/// docs/json.md). Keys follow scikit-learn.
public struct PCAReport: Encodable, Sendable {
    /// One layer's principal components.
    public struct Layer: Encodable, Sendable {
        public let layer: Int
        public let nSamples: Int
        public let nFeatures: Int
        public let nContexts: Int
        /// Variances along the components (divisor n − 1, or N − C when centred per context).
        public let explainedVariance: [Double]
        public let explainedVarianceRatio: [Double]
        public let cumulativeRatio: [Double]
        public let componentsFor90: Int
        public let componentsFor95: Int
        public let componentsFor99: Int
        public let participationRatio: Double
        /// The top components, one row each (sign: largest entry positive).
        public let components: [[Double]]

        enum CodingKeys: String, CodingKey {
            case layer, components
            case nSamples = "n_samples", nFeatures = "n_features", nContexts = "n_contexts"
            case explainedVariance = "explained_variance", explainedVarianceRatio = "explained_variance_ratio"
            case cumulativeRatio = "cumulative_ratio", participationRatio = "participation_ratio"
            case componentsFor90 = "n_components_90", componentsFor95 = "n_components_95", componentsFor99 = "n_components_99"
        }

        /// Layer `layer`'s entry from its components `pcs` over `contexts` held contexts, listing the top `components`.
        public init(layer: Int, pcs: PrincipalComponents, contexts: Int, components: Int) {
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

    /// The principal angles between two tasks' top-k subspaces at one layer.
    public struct Angles: Encodable, Sendable {
        public let layer: Int
        public let tasks: [String]
        public let k: Int
        public let anglesDegrees: [Double]
        enum CodingKeys: String, CodingKey { case layer, tasks, k; case anglesDegrees = "angles_degrees" }
    }

    /// How much task `to`'s outputs move, relative to task `from`'s, while only `from`'s inputs vary.
    public struct Leakage: Encodable, Sendable {
        public let from: String
        public let to: String
        public let ratio: Double
    }

    public let schema = "nnprobe.pca/1"
    public let file: String
    /// `checkpoint` or `dump`.
    public let source: String
    /// The varied sub-task, or `all`.
    public let variedTask: String
    public let gridSize: Int
    public let contexts: Int
    public let nComponents: Int
    public internal(set) var layers: [Layer] = []
    public internal(set) var principalAngles: [Angles] = []
    public internal(set) var leakage: [Leakage] = []

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
}
