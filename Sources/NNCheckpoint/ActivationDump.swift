import NNLinalg

/// How the inputs of an activation dump were chosen.
public struct ActivationProbe: Equatable, Sendable {
    /// How the probe rows were chosen; stored as the `probe` attribute's string (`dataset`, `vary`).
    public enum Kind: String, CaseIterable, Sendable {
        /// The rows of one data split.
        case dataset
        /// One sub-task's inputs on a grid, the others held at a few contexts.
        case vary
    }

    /// Rows of a data split, or one task's inputs on a grid.
    public var kind: Kind
    /// For `dataset` probes, the split: `test`, `val` or `train`.
    public var dataset: String
    /// For `vary` probes, the sub-task whose inputs sweep the grid (e.g. `task0`).
    public var variedTask: String
    /// Input indices swept by the grid.
    public var variedInputs: [Int]
    /// Grid points per varied input (the grid has `gridSize^variedInputs.count` points per context).
    public var gridSize: Int
    /// The held contexts: one row of full inputs each (C × d; empty for `dataset` probes).
    public var contexts: Matrix<Float>

    public init(kind: Kind, dataset: String = "", variedTask: String = "", variedInputs: [Int] = [],
                gridSize: Int = 0, contexts: Matrix<Float> = Matrix(rows: 0, cols: 0)) {
        self.kind = kind
        self.dataset = dataset
        self.variedTask = variedTask
        self.variedInputs = variedInputs
        self.gridSize = gridSize
        self.contexts = contexts
    }

    /// A probe over the rows of one data split.
    public static func dataset(_ split: String) -> ActivationProbe { ActivationProbe(kind: .dataset, dataset: split) }
}

/// A model's activations on a probe set; the layout is documented in `docs/checkpoint-format.md`.
public struct ActivationDump: Equatable, Sendable {
    public var nnprobeVersion: String
    public var created: String
    /// The checkpoint the activations came from.
    public var sourceCheckpoint: String
    public var task: String
    public var probe: ActivationProbe
    /// N × d inputs.
    public var inputs: Matrix<Float>
    /// N × o targets (empty when the probe has none).
    public var targets: Matrix<Float>
    /// N × o model outputs.
    public var outputs: Matrix<Float>
    /// For `vary` probes, the held context of each row (empty otherwise).
    public var contextIndex: [Int32]
    /// Per trunk layer (an MLP's layer, a layer stack's block), in forward order.
    public var layers: [LayerActivations]

    public init(sourceCheckpoint: String, task: String, probe: ActivationProbe, inputs: Matrix<Float>,
                targets: Matrix<Float>, outputs: Matrix<Float>, contextIndex: [Int32] = [],
                layers: [LayerActivations], nnprobeVersion: String = NNProbeVersion.string,
                created: String = NNProbeVersion.timestamp()) {
        self.nnprobeVersion = nnprobeVersion
        self.created = created
        self.sourceCheckpoint = sourceCheckpoint
        self.task = task
        self.probe = probe
        self.inputs = inputs
        self.targets = targets
        self.outputs = outputs
        self.contextIndex = contextIndex
        self.layers = layers
    }

    /// Number of probe rows N.
    public var rowCount: Int { inputs.rows }

    /// Rows M whose image-shaped blocks keep their whole feature maps (`post`, `pre`): the first
    /// M of the N (every block keeps its pooled channels for all N). N when no block is image-shaped.
    public var mapRowCount: Int {
        for layer in layers {
            if layer.block?.shape.isFlat == false { return layer.post.rows }
            if layer.block?.preShape.isFlat == false { return layer.pre.rows }
        }
        return rowCount
    }

    /// The `format_version` the dump is written as: 1 for an MLP's layers (as before blocks
    /// existed, byte for byte), 2 for a layer stack's blocks (conv nets).
    public var formatVersion: Int64 { layers.contains { $0.block != nil } ? 2 : 1 }
}
