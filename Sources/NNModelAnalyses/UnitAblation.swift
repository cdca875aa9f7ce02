import NNLinalg
import NNModel

/// What each task loses when hidden units, or directions of a layer, are ablated: the network
/// runs the rows once as it is and once per ablation, with the chosen values of one buffer
/// replaced (`Intervention`) before later layers read them, all in Float64.
///
/// Zero-ablation sets the values to 0; mean-ablation to their mean over the rows (per unit and,
/// for a conv channel, per position). A subspace with orthonormal directions V is projected out:
/// h ← h − Vᵀ V (h − r), r = 0 or the mean. The effect on task t is its loss after ablation L′_t
/// against before L_t, and the relative increase r_t = (L′_t − L_t) / L_t (+∞ when L_t = 0 and
/// the loss rose, 0 when it did not).
public struct UnitAblation: Sendable {
    public enum Mode: String, CaseIterable, Codable, Sendable {
        case zero, mean
    }

    /// What one ablation (or patch) replaces.
    public enum Target: Equatable, Sendable {
        /// These units (channels) together.
        case units([Int])
        /// The span of these orthonormal directions over the channels (k × C).
        case subspace(Matrix<Double>)

        func directions() -> Intervention<Double>.Directions {
            switch self {
            case .units(let units): .units(units)
            case .subspace(let basis): .subspace(basis: basis.storage, count: basis.rows)
            }
        }
    }

    /// One ablation and what it did to each task.
    public struct Effect: Sendable {
        /// `unit 3`, `units 1,3,5`, `task0 top-2`.
        public let label: String
        public let target: Target
        /// Each task's loss with the ablation.
        public let losses: [Double]
        /// Each task's relative loss increase (L′ − L) / L.
        public let relativeIncrease: [Double]
    }

    public let tasks: [TaskOutputs]
    public let mode: Mode
    /// Each task's loss without ablation.
    public let baseLosses: [Double]
    /// The mean of every value of the buffer over the rows (C·H·W), which mean-ablation sets.
    public let means: [Double]
    /// Each unit ablated alone, in unit order.
    public let units: [Effect]
    /// Each of the extra targets, in the order given.
    public let extra: [Effect]

    /// Ablates every unit of `buffer` alone (when `eachUnit`) and each of `extra` (with its label)
    /// on `rows`, scoring `tasks` with `loss`.
    public init(_ network: LayerNetwork<Double>, buffer: Int, rows: ScoredRows, tasks: [TaskOutputs], loss: LossFunction,
                mode: Mode, eachUnit: Bool = true, extra: [(label: String, target: Target)] = []) {
        self.tasks = tasks
        self.mode = mode
        let shape = network.buffers[buffer]
        var sums = [Double](repeating: 0, count: shape.count)
        var base = TaskLossAccumulator(tasks: tasks, loss: loss, outputWidth: network.outputWidth)
        network.evaluateInBlocks(rows) { range, outputs in
            base.add(outputs, rows: rows, first: range.lowerBound)
            let values = Array(network.values(ofBuffer: buffer))
            for r in 0..<range.count { for k in 0..<shape.count { sums[k] += values[r * shape.count + k] } }
        }
        let baseLosses = base.losses
        self.baseLosses = baseLosses
        means = sums.map { $0 / Double(rows.count) }
        let replacement: Intervention<Double>.Replacement = mode == .zero ? .zero : .constant(means)
        func effect(_ label: String, _ target: Target) -> Effect {
            let edit = Intervention(buffer: buffer, directions: target.directions(), replacement: replacement)
            var ablated = TaskLossAccumulator(tasks: tasks, loss: loss, outputWidth: network.outputWidth)
            network.evaluateInBlocks(rows, interventions: [edit]) { range, outputs in
                ablated.add(outputs, rows: rows, first: range.lowerBound)
            }
            let losses = ablated.losses
            return Effect(label: label, target: target, losses: losses,
                          relativeIncrease: zip(losses, baseLosses).map { Self.relativeIncrease(from: $1, to: $0) })
        }
        units = eachUnit ? (0..<shape.channels).map { effect("unit \($0)", .units([$0])) } : []
        self.extra = extra.map { effect($0.label, $0.target) }
    }

    /// (after − before) / before; +∞ when before is 0 and the loss rose, 0 when it did not.
    static func relativeIncrease(from before: Double, to after: Double) -> Double {
        if before > 0 { return (after - before) / before }
        if before == 0 { return after > 0 ? .infinity : 0 }
        return .nan
    }
}

extension LayerNetwork where T == Double {
    /// Rows run at a time: 4,096, or fewer when a row's buffers hold more than 4,096 values
    /// (conv nets), so that a block's workspace stays near 2²⁴ values (values and gradients: 256 MiB).
    var blockRows: Int {
        let perRow = buffers.reduce(0) { $0 + $1.count }
        return max(1, min(4096, (1 << 24) / max(1, perRow)))
    }

    /// Runs `rows` in evaluation mode with `interventions` (edits that hold for every row), a
    /// block of rows at a time; `each` sees each block's outputs while the network still holds
    /// its buffers (`values(ofBuffer:)`).
    func evaluateInBlocks(_ rows: ScoredRows, interventions: [Intervention<Double>] = [], _ each: (Range<Int>, [Double]) -> Void) {
        for start in stride(from: 0, to: rows.count, by: blockRows) {
            let range = start..<min(start + blockRows, rows.count)
            each(range, evaluate(rows.inputs(range), batch: range.count, interventions: interventions))
        }
    }
}
