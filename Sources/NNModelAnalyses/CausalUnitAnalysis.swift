import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

/// Causal unit tests of one checkpoint: every hidden unit of one layer ablated in turn (and,
/// when asked, a set of units and each task's top-k subspace), each task's loss change, the
/// unit's causal role (`UnitRole.causal`) beside its weight-based role from the read-out
/// (`ortho`'s, where a read-out reads this layer) and whether the two agree; optionally,
/// activation patching of the units each task alone relies on. The model runs in Float64 on
/// the general engine (`LayerNetwork`).
public struct CausalUnitAnalysis: Sendable {
    /// Which layer: a trunk layer by index (`layer_0` is block 0's output), or any buffer by name.
    public enum LayerChoice: Equatable, Sendable {
        case index(Int)
        /// A step (`block0.main.0`, `block1.add`) or a block's output (`block0`).
        case name(String)
    }

    /// The rows the losses are measured on.
    public enum Rows: Equatable, Sendable {
        case split(Split)
        /// Every sub-task's probe grid, scored against the task's noise-free formula.
        case probes
    }

    public struct Settings: Sendable {
        /// nil: the last hidden layer (the one a single read-out reads).
        public var layer: LayerChoice?
        /// Also ablate (and patch) these units together.
        public var units: [Int]?
        public var mode: UnitAblation.Mode = .mean
        /// Also ablate (and patch) each task's top-k principal subspace of the layer.
        public var topK: Int?
        public var rows: Rows = .split(.test)
        /// Probe grids (`--on probes` and `--top-k`): points per varied input, held contexts.
        public var gridSize = 21
        public var contexts = 5
        /// Share of a unit's effect (or attribution) that makes it mono-functional.
        public var threshold = 0.95
        /// Relative loss increase below which a task does not count as served (`UnitRole.causal`).
        public var floor = 0.01
        public var patch = false

        public init() {}
    }

    /// One unit: its ablation's effect and both roles.
    public struct Unit: Sendable {
        public let index: Int
        public let losses: [Double]
        public let relativeIncrease: [Double]
        public let causal: UnitRole
        /// From the read-out weights (nil when no read-out reads this layer).
        public let weights: UnitRole?
        public var agrees: Bool? { weights.map { causal.agrees(with: $0) } }
    }

    /// `layer_0`, or the buffer's name.
    public let layer: String
    /// Units (channels) of the layer.
    public let width: Int
    /// `test split`, `probe grids of task0, task1`, …
    public let rowsDescription: String
    public let rowCount: Int
    public let mode: UnitAblation.Mode
    public let tasks: [String]
    public let baseLosses: [Double]
    public let units: [Unit]
    /// The unit set and the subspaces, ablated as wholes.
    public let groups: [UnitAblation.Effect]
    /// The read-out whose weights give the weight-based roles (`layer_2`, `head_1`), or nil.
    public let readout: String?
    public let patching: ActivationPatching?

    /// Units whose causal and weight-based roles agree, out of those with both.
    public var agreement: (agree: Int, compared: Int)? {
        let compared = units.compactMap(\.agrees)
        return compared.isEmpty ? nil : (compared.filter { $0 }.count, compared.count)
    }

    /// Runs the analysis on `checkpoint` and its rebuilt `task`. Throws `AnalysisError` for a
    /// layer, unit or sub-task that does not exist or rows without targets, and `LinalgError`
    /// from the subspaces' eigendecompositions.
    public init(_ checkpoint: Checkpoint, task context: CheckpointTask, settings: Settings) throws {
        let model = checkpoint.layerModel
        // The layer engine runs PyTorch's batch norm (ε = 1e-5, momentum 0.1) only; an MLP file may store others.
        if let bn = checkpoint.model.layers.compactMap(\.batchNorm).first(where: { $0.eps != 1e-5 || $0.momentum != 0.1 }) {
            throw AnalysisError.modelUnsupported(reason: "its batch norm has ε \(bn.eps), momentum \(bn.momentum); causal tests run batch norm with ε 1e-5, momentum 0.1 only")
        }
        let network = try LayerNetwork<Double>(model)
        if let bad = Self.firstNonFiniteTensor(of: model, in: network) { throw AnalysisError.nonFiniteWeights(tensor: bad) }
        guard network.outputWidth == context.task.outputWidth else {
            throw AnalysisError.outputWidthMismatch(modelOutputs: network.outputWidth, task: context.task.name,
                                                    taskOutputs: context.task.outputWidth)
        }
        // Trunk layers: every block but a single-head model's output block.
        let trunk = model.stack.heads.isEmpty ? model.stack.blocks.count - 1 : model.stack.blocks.count
        guard settings.layer != nil || trunk >= 1 else { throw AnalysisError.noHiddenLayer }
        let (buffer, name) = try Self.site(settings.layer ?? .index(trunk - 1), in: network, trunkLayers: trunk)
        let shape = network.buffers[buffer]
        let taskOutputs = TaskOutputs.of(context.task)
        let taskNames = taskOutputs.map(\.name)
        if let bad = settings.units?.first(where: { !(0..<shape.channels).contains($0) }) {
            throw AnalysisError.unitOutOfRange(bad, layer: name, width: shape.channels)
        }
        if let k = settings.topK, k > shape.channels { throw AnalysisError.topKTooLarge(k, layer: name, width: shape.channels) }
        let (rows, rowsDescription) = try Self.rows(settings.rows, of: context, settings: settings)

        var extra: [(label: String, target: UnitAblation.Target)] = []
        if let set = settings.units { extra.append((Self.label(set), .units(set))) }
        if let k = settings.topK { extra += try Self.subspaces(k, of: network, buffer: buffer, rows: rows, context: context, settings: settings) }
        let ablation = UnitAblation(network, buffer: buffer, rows: rows, tasks: taskOutputs, loss: context.task.loss,
                                    mode: settings.mode, extra: extra)

        // The weight-based roles, from the read-out that reads this very buffer.
        var weightRoles: [UnitRole]?
        var readout: String?
        if !checkpoint.isLayerStack, let found = try ReadoutAnalysis(checkpoint, task: context, threshold: settings.threshold).readouts.first(where: {
            $0.readsLayer.hasPrefix("layer_") && network.buffer(named: "block" + $0.readsLayer.dropFirst(6)) == buffer
        }) {
            readout = found.source
            weightRoles = found.geometry.units.map { UnitRole.fromWeights($0, tasks: taskNames) }
        }
        let units = ablation.units.enumerated().map { j, effect in
            Unit(index: j, losses: effect.losses, relativeIncrease: effect.relativeIncrease,
                 causal: .causal(relativeIncrease: effect.relativeIncrease, tasks: taskNames, threshold: settings.threshold,
                                 floor: settings.floor),
                 weights: weightRoles?[j])
        }

        var patching: ActivationPatching?
        if settings.patch {
            guard rows.count >= 2 else { throw AnalysisError.tooFewRows(rows.count, needed: 2) }
            var targets: [(label: String, target: UnitAblation.Target)] = []
            for task in taskNames {
                let only = units.filter { $0.causal.kind == .mono && $0.causal.task == task }.map(\.index)
                if !only.isEmpty { targets.append(("\(task)-only units", .units(only))) }
            }
            let shared = units.filter { $0.causal.kind == .shared }.map(\.index)
            if !shared.isEmpty { targets.append(("shared units", .units(shared))) }
            patching = ActivationPatching(network, buffer: buffer, rows: rows, tasks: taskOutputs, targets: targets + extra)
        }

        layer = name
        width = shape.channels
        self.rowsDescription = rowsDescription
        rowCount = rows.count
        mode = settings.mode
        tasks = taskNames
        baseLosses = ablation.baseLosses
        self.units = units
        groups = ablation.extra
        self.readout = readout
        self.patching = patching
    }

    /// The first tensor of `model` holding NaN or ±∞ (`layer_0.weight`, `head_1.bias`, or the
    /// engine's names for other stacks; `batch-norm statistics` for the running ones), if any.
    static func firstNonFiniteTensor(of model: LayerModel, in network: LayerNetwork<Double>) -> String? {
        if let bad = network.namedTensors.first(where: { !model.parameters[$0.offset..<($0.offset + $0.count)].allSatisfy(\.isFinite) }) {
            return bad.name
        }
        return model.state.allSatisfy(\.isFinite) ? nil : "batch-norm statistics"
    }

    /// `units 1,3,5`.
    static func label(_ units: [Int]) -> String { "units " + units.map(String.init).joined(separator: ",") }

    /// The buffer of `choice` and its name in reports.
    static func site(_ choice: LayerChoice, in network: LayerNetwork<Double>, trunkLayers: Int) throws(AnalysisError) -> (Int, String) {
        switch choice {
        case .index(let i):
            guard (0..<trunkLayers).contains(i), let buffer = network.buffer(named: "block\(i)") else {
                throw .activationLayerOutOfRange(i, count: trunkLayers)
            }
            return (buffer, "layer_\(i)")
        case .name(let name):
            if name.hasPrefix("layer_"), let i = Int(name.dropFirst(6)) { return try site(.index(i), in: network, trunkLayers: trunkLayers) }
            guard let buffer = network.buffer(named: name) else {
                throw .unknownLayerName(name, valid: (0..<trunkLayers).map { "layer_\($0)" } + network.bufferNames)
            }
            return (buffer, name)
        }
    }

    /// The rows of `choice` with their targets, and how reports describe them.
    static func rows(_ choice: Rows, of context: CheckpointTask, settings: Settings) throws(AnalysisError) -> (ScoredRows, String) {
        switch choice {
        case .split(let split):
            let data = split.rows(of: context.splits)
            guard data.count >= 1 else { throw .tooFewRows(0, needed: 1) }
            return (ScoredRows(data), "\(split.rawValue) split")
        case .probes:
            let task = context.task
            guard !task.subtasks.isEmpty, task.targetFunction != nil, task.loss == .mse else { throw .noProbeTargets(task: task.name) }
            var inputs: [Float] = [], targets: [Float] = []
            for subtask in task.subtasks {
                let grid = ProbeGrid(task: task, subtask: subtask, gridSize: settings.gridSize, contexts: settings.contexts, seed: context.seed)
                inputs += grid.inputs
                targets += grid.targets(for: task)
            }
            return (ScoredRows(inputs: inputs.map(Double.init), inputWidth: task.inputWidth, targets: targets.map(Double.init)),
                    "probe grids of " + task.subtasks.map(\.name).joined(separator: ", "))
        }
    }

    /// Each sub-task's top-k subspace of `buffer` on its probe grid (centred per context), or
    /// without sub-tasks the top-k subspace on `rows`.
    static func subspaces(_ k: Int, of network: LayerNetwork<Double>, buffer: Int, rows: ScoredRows, context: CheckpointTask,
                          settings: Settings) throws -> [(label: String, target: UnitAblation.Target)] {
        let task = context.task
        guard !task.subtasks.isEmpty else {
            return [("all top-\(k)", .subspace(try LayerSubspace.principalDirections(network, buffer: buffer, inputs: rows.inputs,
                                                                                      contexts: nil, k: k)))]
        }
        return try task.subtasks.map { subtask in
            let grid = ProbeGrid(task: task, subtask: subtask, gridSize: settings.gridSize, contexts: settings.contexts, seed: context.seed)
            let basis = try LayerSubspace.principalDirections(network, buffer: buffer, inputs: grid.inputs.map(Double.init),
                                                               contexts: grid.contextIndex, k: k)
            return ("\(subtask.name) top-\(k)", .subspace(basis))
        }
    }
}
