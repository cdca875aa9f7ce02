import ArgumentParser
import NNModel
import NNTasks
import NNTrain

extension Activation: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}

/// A comma-separated list of widths, e.g. `16,16,16`.
struct WidthList: ExpressibleByArgument {
    let widths: [Int]
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        widths = parts.map { $0! }
    }
}

/// The model and optimisation flags of `train`. Every flag is optional: unset flags keep the
/// value from `--config` (or the built-in default).
struct ModelOptions: ParsableArguments {
    @Option(help: "Hidden widths, comma-separated, e.g. 16,16,16 (default 16); one architecture, not a sweep.")
    var hidden: WidthList?
    @Option(help: "Number of hidden layers (with --width; instead of --hidden). A list sweeps.")
    var depth: ValueList<Int>?
    @Option(help: "Width of every hidden layer (with --depth). A list sweeps.")
    var width: ValueList<Int>?
    @Option(help: "Hidden activation: relu, tanh, gelu or identity (default relu).")
    var activation: Activation?
    @Flag(inversion: .prefixedNo, help: "Batch norm before every hidden activation.")
    var batchNorm: Bool?
    @Option(help: "Dropout rate on hidden outputs during training, in [0, 1) (default 0).")
    var dropout: ValueList<Double>?
    @Flag(inversion: .prefixedNo, help: "Residual connections between equal-width hidden layers.")
    var residual: Bool?
    @Flag(inversion: .prefixedNo, help: "Start residual branches at zero (γ = 0 with batch norm, else W = b = 0).")
    var zeroInitResidual: Bool?
    @Flag(inversion: .prefixedNo, help: "A linear head on every hidden layer; the prediction is their sum.")
    var multiHead: Bool?
    @Flag(inversion: .prefixedNo, help: "Single-head baseline: widen the last hidden layer to the multi-head model's parameter count.")
    var matchMultiHeadParameters: Bool?
    @Option(name: .customLong("init"), help: "Initialisation: pytorch (nn.Linear default), kaiming-normal or xavier.")
    var initialization: Initialization?

    @Option(help: "Optimiser: sgd, adam or adamw (default adam).")
    var optimizer: OptimizerKind?
    @Option(help: "Learning rate (default 0.001). A list, e.g. 1,0.2,0.01, sweeps.")
    var lr: ValueList<Double>?
    @Option(help: "SGD momentum (default 0).")
    var momentum: ValueList<Double>?
    @Option(help: "Weight decay: L2 for sgd/adam, decoupled for adamw (default 0).")
    var weightDecay: ValueList<Double>?
    @Option(help: "Learning-rate schedule per epoch: constant, step, inverse-time, cosine, exponential.")
    var schedule: ScheduleKind?
    @Option(help: "Step schedule: epochs between decays (default 10).")
    var stepSize: ValueList<Int>?
    @Option(help: "Step/exponential schedules: decay factor (default 0.1).")
    var gamma: ValueList<Double>?
    @Option(help: "Inverse-time schedule: lr0 / (1 + decay·epoch) (default 0.1).")
    var decay: ValueList<Double>?
    @Option(help: "Epochs (default 20).")
    var epochs: ValueList<Int>?
    @Option(help: "Mini-batch size (default 128).")
    var batchSize: ValueList<Int>?
    @Option(help: "Gradient flow: keep the first and last K optimiser steps (default 5).")
    var gradSteps: Int?

    @Option(help: "Transfer learning: start from this checkpoint's weights (its architecture replaces --hidden).")
    var initFrom: String?
    @Option(help: "With --init-from: layers (0-based, comma-separated) not updated during training.")
    var freeze: WidthList?
    @Option(help: "With --init-from: layers (0-based) re-drawn from the initialisation first.")
    var reinit: WidthList?
    @Option(help: "Knowledge distillation: the teacher checkpoint (classification tasks).")
    var teacher: String?
    @Option(help: "Distillation temperature T (default 4). A list sweeps.")
    var temperature: ValueList<Double>?
    @Option(help: "Distillation weight α: loss (1−α)·CE + α·T²·KL(teacher‖student) (default 0.9). A list sweeps.")
    var alpha: ValueList<Double>?

    func validate() throws {
        if hidden != nil && (depth != nil || width != nil) {
            throw ValidationError("give either --hidden or --depth with --width, not both")
        }
        if (depth == nil) != (width == nil) { throw ValidationError("--depth and --width go together") }
        if let depth, depth.values.contains(where: { $0 < 0 }) { throw ValidationError("--depth: must not be negative") }
    }

    /// Sets every flag given, using the first value of list-valued flags (the sweep axes set the rest).
    func apply(to c: inout TrainingConfig) {
        if let hidden { c.hidden = hidden.widths }
        if let depth, let width { c.hidden = Array(repeating: width.values[0], count: depth.values[0]) }
        if let activation { c.activation = activation }
        if let batchNorm { c.batchNorm = batchNorm }
        if let residual { c.residual = residual }
        if let zeroInitResidual { c.zeroInitResidual = zeroInitResidual }
        if let multiHead { c.multiHead = multiHead }
        if let matchMultiHeadParameters { c.matchMultiHeadParameters = matchMultiHeadParameters }
        if let initialization { c.initialization = initialization }
        if let optimizer { c.optimizer = optimizer }
        if let schedule { c.schedule = schedule }
        if let gradSteps { c.gradSteps = gradSteps }
        if let initFrom { c.initFrom = initFrom }
        if let freeze { c.freeze = freeze.widths }
        if let reinit { c.reinit = reinit.widths }
        if let teacher { c.teacher = teacher }
        for axis in axes where axis.isActive { axis.set(&c, 0) }
    }

    /// The list-valued flags, in the order sweeps nest them (first varies slowest).
    var axes: [SweepAxis<TrainingConfig>] {
        [
            SweepAxis("depth", depth) { c, d in c.hidden = Array(repeating: c.hidden.first ?? 16, count: d) },
            SweepAxis("width", width) { c, w in c.hidden = c.hidden.map { _ in w } },
            SweepAxis("lr", lr) { $0.lr = $1 },
            SweepAxis("batch-size", batchSize) { $0.batchSize = $1 },
            SweepAxis("dropout", dropout) { $0.dropout = $1 },
            SweepAxis("momentum", momentum) { $0.momentum = $1 },
            SweepAxis("weight-decay", weightDecay) { $0.weightDecay = $1 },
            SweepAxis("step-size", stepSize) { $0.stepSize = $1 },
            SweepAxis("gamma", gamma) { $0.gamma = $1 },
            SweepAxis("decay", decay) { $0.decay = $1 },
            SweepAxis("epochs", epochs) { $0.epochs = $1 },
            SweepAxis("temperature", temperature) { $0.temperature = $1 },
            SweepAxis("alpha", alpha) { $0.alpha = $1 },
        ]
    }
}

/// The data flags of `train`.
struct DataOptions: ParsableArguments {
    @Option(help: "Training rows (synthetic default 10000; for files, a cap).")
    var trainSize: ValueList<Int>?
    @Option(help: "Validation rows (synthetic default 2000).")
    var valSize: Int?
    @Option(help: "Test rows (synthetic default 2000).")
    var testSize: Int?
    @Option(help: "Noise: std of target noise (regression) or point noise (2-D sets).")
    var noise: ValueList<Double>?
    @Option(help: "Classes of spirals/blobs (default 2).")
    var classes: Int?
    @Option(help: "Data directory (idx) or CSV file (csv).")
    var data: String?
    @Option(help: "CSV label column: a header name or 0-based index (default: last column).")
    var labelColumn: String?
    @Option(help: "Regression accuracy: share of outputs within this absolute error (default 0.05).")
    var tolerance: ValueList<Double>?
    @Flag(inversion: .prefixedNo, help: "Shuffle the training labels (a control that can only memorise).")
    var randomLabels: Bool?

    /// Sets every flag given (first value of list-valued flags; the sweep axes set the rest).
    func apply(to c: inout TrainingConfig) {
        if let valSize { c.data.valSize = valSize }
        if let testSize { c.data.testSize = testSize }
        if let classes { c.data.classes = classes }
        if let data { c.data.data = data }
        if let labelColumn { c.data.labelColumn = labelColumn }
        if let randomLabels { c.data.randomLabels = randomLabels }
        for axis in axes where axis.isActive { axis.set(&c, 0) }
    }

    /// The list-valued data flags.
    var axes: [SweepAxis<TrainingConfig>] {
        [
            SweepAxis("train-size", trainSize) { $0.data.trainSize = $1 },
            SweepAxis("noise", noise) { $0.data.noise = $1 },
            SweepAxis("tolerance", tolerance) { $0.data.tolerance = $1 },
        ]
    }
}
