import NNCheckpoint
import NNModelAnalyses

/// A model read from a checkpoint or a safetensors file: the file's I/O half of `ModelWeights`.
struct ModelFile {
    let path: String
    /// The checkpoint (model and provenance only), when the file is one and was read whole.
    let checkpoint: Checkpoint?
    /// Weight matrices in forward order, then heads, named as every subcommand names them.
    let weights: ModelWeights
    /// The run's seed: nil for a safetensors file, and for a pack that does not record it.
    var seed: Int64?

    /// Reads `path`: a checkpoint, or (where `allowSafeTensors`) any safetensors file, whose
    /// 2-D tensors each count as a layer. `weightsOnly` reads a checkpoint's weight matrices and
    /// nothing else (`checkpoint` is then nil): the fast path for spectra over many files. A conv
    /// net's weights come with where each conv layer applies its kernel (`ModelWeights(_: LayerModel)`).
    static func load(_ path: String, allowSafeTensors: Bool = false, weightsOnly: Bool = false) throws -> ModelFile {
        if allowSafeTensors && path.hasSuffix(".safetensors") {
            let weights = try AnalysisFlags.naming(path) { try ModelWeights(safeTensors: SafeTensors.read(path)) }
            return ModelFile(path: path, checkpoint: nil, weights: weights)
        }
        if weightsOnly {
            let (weights, seed, layers) = try Checkpoint.readWeightsAndSeed(from: path)
            // A conv net's weights with its layer description, which the read already holds.
            return ModelFile(path: path, checkpoint: nil, weights: try layers.map(ModelWeights.init) ?? ModelWeights(weights), seed: seed)
        }
        let checkpoint = try Checkpoint.read(from: path, training: false, convNets: true)
        if let layers = checkpoint.layers {   // a conv net: its weight matrices (conv kernels flattened)
            return ModelFile(path: path, checkpoint: nil, weights: try ModelWeights(layers), seed: checkpoint.seed)
        }
        return ModelFile(path: path, checkpoint: checkpoint)
    }
}

extension ModelFile {
    /// The model of `path` from its directory's pack when there is a fresh one (`packed`), read
    /// from the file otherwise (see `load`).
    static func load(_ path: String, packed: PackedModel?, allowSafeTensors: Bool = false, weightsOnly: Bool = false) throws -> ModelFile {
        try packed.map { ModelFile(path: path, packed: $0) } ?? load(path, allowSafeTensors: allowSafeTensors, weightsOnly: weightsOnly)
    }

    /// The weight matrices of a checkpoint already read from `path`.
    init(path: String, checkpoint: Checkpoint) {
        self.init(path: path, checkpoint: checkpoint, weights: ModelWeights(checkpoint.model), seed: checkpoint.seed)
    }

    /// A checkpoint's weight matrices as its directory's pack holds them: what
    /// `load(path, weightsOnly: true)` reads from the file itself.
    init(path: String, packed: PackedModel) {
        self.init(path: path, checkpoint: nil, weights: ModelWeights(packed: packed), seed: packed.seed)
    }
}
