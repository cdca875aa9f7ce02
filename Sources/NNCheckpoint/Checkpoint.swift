import NNModel

/// Everything a checkpoint file holds: provenance, the model, its learning curves and gradient flow.
/// The on-disk layout is documented in `docs/checkpoint-format.md`.
public struct Checkpoint: Equatable, Sendable {
    /// Version of nnprobe that wrote the file.
    public var nnprobeVersion: String
    /// Creation time, ISO 8601.
    public var created: String
    /// Task name from the task registry, e.g. `multi-mult`.
    public var task: String
    /// The seed of the run's random generator.
    public var seed: Int64
    /// The full resolved training configuration, as a JSON document.
    public var config: String
    /// How the run ended.
    public var status: RunStatus
    /// The model when it is an MLP (format 1); empty for other models, which `layers` holds.
    public var model: MLP
    /// The model when it is not an MLP (a conv net, format 2); nil for MLPs.
    public var layers: LayerModel?
    public var history: TrainingHistory
    public var gradients: GradientFlow
    /// Per trunk layer, the share of units never active on the validation set (empty when not measured).
    public var deadUnits: [Double]

    public init(task: String, seed: Int64, config: String, status: RunStatus = .ok, model: MLP,
                history: TrainingHistory = TrainingHistory(), gradients: GradientFlow = GradientFlow(stepsKept: 0),
                deadUnits: [Double] = [], nnprobeVersion: String = NNProbeVersion.string,
                created: String = NNProbeVersion.timestamp()) {
        self.nnprobeVersion = nnprobeVersion
        self.created = created
        self.task = task
        self.seed = seed
        self.config = config
        self.status = status
        self.model = model
        self.history = history
        self.gradients = gradients
        self.deadUnits = deadUnits
    }

    /// A checkpoint of any model: MLPs are stored as `model` (format 1), others as `layers` (format 2).
    public init(task: String, seed: Int64, config: String, status: RunStatus = .ok, model: LayerModel,
                history: TrainingHistory = TrainingHistory(), gradients: GradientFlow = GradientFlow(stepsKept: 0),
                deadUnits: [Double] = [], nnprobeVersion: String = NNProbeVersion.string,
                created: String = NNProbeVersion.timestamp()) {
        let mlp = model.mlp
        self.init(task: task, seed: seed, config: config, status: status, model: mlp ?? MLP(layers: []), history: history,
                  gradients: gradients, deadUnits: deadUnits, nnprobeVersion: nnprobeVersion, created: created)
        if mlp == nil { layers = model }
    }

    /// The model in the general description, whatever its family.
    public var layerModel: LayerModel { layers ?? LayerModel(model) }

    /// Whether the model is a conv net (or another non-MLP stack), stored in format 2.
    public var isLayerStack: Bool { layers != nil }
}
