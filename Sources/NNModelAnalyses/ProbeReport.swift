import NNAnalysis

/// Per-layer linear probes of one checkpoint and their baselines (`nnprobe probe`; schema
/// `nnprobe.probe/1`, see docs/json.md).
public struct ProbeReport: Encodable, Sendable {
    /// One fitted probe or baseline.
    public struct Entry: Encodable, Sendable, Equatable {
        /// Trunk layer index, a conv net's block index (nil for the raw inputs).
        public let layer: Int?
        /// `layer_0`, …, `block0`, … or `inputs`.
        public let name: String
        public let method: LinearProbes.Method
        public let nFeatures: Int
        /// Accuracy or R² on the held-out rows, and on the training rows.
        public let score: Double
        public let trainScore: Double
        /// Logistic regression: L-BFGS iterations and whether it met its tolerance (else null).
        public let iterations: Int?
        public let converged: Bool?

        enum CodingKeys: String, CodingKey {
            case layer, name, method, score, iterations, converged
            case nFeatures = "n_features", trainScore = "train_score"
        }

        init(layer: Int?, _ s: LinearProbes.Score) {
            (self.layer, name, method, nFeatures) = (layer, s.name, s.method, s.features)
            (score, trainScore, iterations, converged) = (s.score, s.trainScore, s.iterations, s.converged)
        }

        public func encode(to encoder: any Encoder) throws {   // nil as null, so every entry has every key
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(layer, forKey: .layer)
            try c.encode(name, forKey: .name)
            try c.encode(method, forKey: .method)
            try c.encode(nFeatures, forKey: .nFeatures)
            try c.encode(score, forKey: .score)
            try c.encode(trainScore, forKey: .trainScore)
            try c.encode(iterations, forKey: .iterations)
            try c.encode(converged, forKey: .converged)
        }
    }

    /// The settings of the fitted models.
    public struct Settings: Encodable, Sendable {
        /// Logistic regression's C and L-BFGS tolerance (null for regression tasks).
        public let c: Double?
        public let tol: Double?
        /// Ridge's alpha (null for classification tasks).
        public let alpha: Double?
        /// The trees of the XGBoost baseline (null without it).
        public let xgboost: XGBoostSettings?
        enum CodingKeys: String, CodingKey { case c = "C", tol, alpha, xgboost }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(c, forKey: .c)
            try container.encode(tol, forKey: .tol)
            try container.encode(alpha, forKey: .alpha)
            try container.encode(xgboost, forKey: .xgboost)
        }
    }

    /// XGBoost's settings as its scikit-learn API names them.
    public struct XGBoostSettings: Encodable, Sendable {
        public let nEstimators: Int
        public let maxDepth: Int
        public let learningRate: Double
        public let seed: UInt64
        public let treeMethod = "hist"
        enum CodingKeys: String, CodingKey {
            case seed
            case nEstimators = "n_estimators", maxDepth = "max_depth", learningRate = "learning_rate", treeMethod = "tree_method"
        }
    }

    public let schema = "nnprobe.probe/1"
    public let file: String
    public let task: String
    /// The sub-task whose outputs are the targets (null: every output).
    public let subtask: String?
    /// `classification` or `regression`.
    public let kind: String
    /// `accuracy` or `r2`.
    public let metric: String
    /// `post` (layer outputs) or `pre` (pre-activations).
    public let activations: String
    /// The split probes are fitted on (`train`) and the one they are scored on (`test` or `val`).
    public let trainSplit: String
    public let heldOutSplit: String
    public let nTrain: Int
    public let nHeldOut: Int
    /// The classes an image task kept (its class subset, relabelled 0…k−1 in this order); null: every class.
    public let classSubset: [Int]?
    /// Classification: the held-out accuracy of always answering the most frequent training class.
    public let chance: Double?
    public let settings: Settings
    public let layers: [Entry]
    public let baselines: [Entry]

    enum CodingKeys: String, CodingKey {
        case schema, file, task, subtask, kind, metric, activations, chance, settings, layers, baselines
        case trainSplit = "train_split", heldOutSplit = "held_out_split", nTrain = "n_train", nHeldOut = "n_held_out"
        case classSubset = "class_subset"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(file, forKey: .file)
        try c.encode(task, forKey: .task)
        try c.encode(subtask, forKey: .subtask)
        try c.encode(kind, forKey: .kind)
        try c.encode(metric, forKey: .metric)
        try c.encode(activations, forKey: .activations)
        try c.encode(trainSplit, forKey: .trainSplit)
        try c.encode(heldOutSplit, forKey: .heldOutSplit)
        try c.encode(nTrain, forKey: .nTrain)
        try c.encode(nHeldOut, forKey: .nHeldOut)
        if let classSubset { try c.encode(classSubset, forKey: .classSubset) }   // absent without a subset: older reports unchanged
        try c.encode(chance, forKey: .chance)
        try c.encode(settings, forKey: .settings)
        try c.encode(layers, forKey: .layers)
        try c.encode(baselines, forKey: .baselines)
    }
}
