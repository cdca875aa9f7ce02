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
    @Option(help: "Hidden widths, comma-separated, e.g. 16,16,16 (default 16).")
    var hidden: WidthList?
    @Option(help: "Number of hidden layers (with --width; instead of --hidden).")
    var depth: Int?
    @Option(help: "Width of every hidden layer (with --depth).")
    var width: Int?
    @Option(help: "Hidden activation: relu, tanh, gelu or identity (default relu).")
    var activation: Activation?
    @Flag(inversion: .prefixedNo, help: "Batch norm before every hidden activation.")
    var batchNorm: Bool?
    @Option(help: "Dropout rate on hidden outputs during training, in [0, 1) (default 0).")
    var dropout: Double?
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
    @Option(help: "Learning rate (default 0.001).")
    var lr: Double?
    @Option(help: "SGD momentum (default 0).")
    var momentum: Double?
    @Option(help: "Weight decay: L2 for sgd/adam, decoupled for adamw (default 0).")
    var weightDecay: Double?
    @Option(help: "Learning-rate schedule per epoch: constant, step, inverse-time, cosine, exponential.")
    var schedule: ScheduleKind?
    @Option(help: "Step schedule: epochs between decays (default 10).")
    var stepSize: Int?
    @Option(help: "Step/exponential schedules: decay factor (default 0.1).")
    var gamma: Double?
    @Option(help: "Inverse-time schedule: lr0 / (1 + decay·epoch) (default 0.1).")
    var decay: Double?
    @Option(help: "Epochs (default 20).")
    var epochs: Int?
    @Option(help: "Mini-batch size (default 128).")
    var batchSize: Int?
    @Option(help: "Gradient flow: keep the first and last K optimiser steps (default 5).")
    var gradSteps: Int?

    func validate() throws {
        if hidden != nil && (depth != nil || width != nil) {
            throw ValidationError("give either --hidden or --depth with --width, not both")
        }
        if (depth == nil) != (width == nil) { throw ValidationError("--depth and --width go together") }
        if let depth, depth < 0 { throw ValidationError("--depth \(depth): must not be negative") }
    }

    func apply(to c: inout TrainingConfig) {
        if let hidden { c.hidden = hidden.widths }
        if let depth, let width { c.hidden = Array(repeating: width, count: depth) }
        if let activation { c.activation = activation }
        if let batchNorm { c.batchNorm = batchNorm }
        if let dropout { c.dropout = dropout }
        if let residual { c.residual = residual }
        if let zeroInitResidual { c.zeroInitResidual = zeroInitResidual }
        if let multiHead { c.multiHead = multiHead }
        if let matchMultiHeadParameters { c.matchMultiHeadParameters = matchMultiHeadParameters }
        if let initialization { c.initialization = initialization }
        if let optimizer { c.optimizer = optimizer }
        if let lr { c.lr = lr }
        if let momentum { c.momentum = momentum }
        if let weightDecay { c.weightDecay = weightDecay }
        if let schedule { c.schedule = schedule }
        if let stepSize { c.stepSize = stepSize }
        if let gamma { c.gamma = gamma }
        if let decay { c.decay = decay }
        if let epochs { c.epochs = epochs }
        if let batchSize { c.batchSize = batchSize }
        if let gradSteps { c.gradSteps = gradSteps }
    }
}

/// The data flags of `train`.
struct DataOptions: ParsableArguments {
    @Option(help: "Training rows (synthetic default 10000; for files, a cap).")
    var trainSize: Int?
    @Option(help: "Validation rows (synthetic default 2000).")
    var valSize: Int?
    @Option(help: "Test rows (synthetic default 2000).")
    var testSize: Int?
    @Option(help: "Noise: std of target noise (regression) or point noise (2-D sets).")
    var noise: Double?
    @Option(help: "Classes of spirals/blobs (default 2).")
    var classes: Int?
    @Option(help: "Data directory (idx) or CSV file (csv).")
    var data: String?
    @Option(help: "CSV label column: a header name or 0-based index (default: last column).")
    var labelColumn: String?
    @Option(help: "Regression accuracy: share of outputs within this absolute error (default 0.05).")
    var tolerance: Double?
    @Flag(inversion: .prefixedNo, help: "Shuffle the training labels (a control that can only memorise).")
    var randomLabels: Bool?

    func apply(to o: inout TaskOptions) {
        if let trainSize { o.trainSize = trainSize }
        if let valSize { o.valSize = valSize }
        if let testSize { o.testSize = testSize }
        if let noise { o.noise = noise }
        if let classes { o.classes = classes }
        if let data { o.data = data }
        if let labelColumn { o.labelColumn = labelColumn }
        if let tolerance { o.tolerance = tolerance }
        if let randomLabels { o.randomLabels = randomLabels }
    }
}
