import NNModel
import NNTasks

/// Every setting of a training run. Decodes from YAML/JSON with snake_case keys, any subset
/// (missing keys keep their defaults; unknown keys are an error), and is stored in the
/// checkpoint as JSON.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var task = "multi-mult"
    public var seed: UInt64 = 0
    // Model
    public var hidden = [16]
    public var activation: Activation = .relu
    public var batchNorm = false
    public var dropout = 0.0
    public var residual = false
    public var zeroInitResidual = false
    public var multiHead = false
    /// Widen a single-head model's last hidden layer to match the multi-head twin's parameter count.
    public var matchMultiHeadParameters = false
    public var initialization: Initialization = .pytorch
    // Optimisation
    public var optimizer: OptimizerKind = .adam
    public var lr = 1e-3
    public var momentum = 0.0
    public var weightDecay = 0.0
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var adamEps = 1e-8
    public var schedule: ScheduleKind = .constant
    /// Step schedule: epochs between decays.
    public var stepSize = 10
    /// Step and exponential schedules: the decay factor.
    public var gamma = 0.1
    /// Inverse-time schedule: lr0 / (1 + decay · epoch).
    public var decay = 0.1
    public var epochs = 20
    public var batchSize = 128
    /// Gradient-flow records keep the first and last K optimiser steps.
    public var gradSteps = 5
    // Transfer learning and distillation (the checkpoints themselves are read by the caller)
    /// Start from this checkpoint's weights instead of a fresh draw.
    public var initFrom: String?
    /// Layers (0-based) whose parameters are not updated.
    public var freeze: [Int] = []
    /// Layers (0-based) re-drawn from the initialisation before training.
    public var reinit: [Int] = []
    /// Distil from this checkpoint's outputs (classification tasks).
    public var teacher: String?
    /// Distillation temperature T.
    public var temperature = 4.0
    /// Distillation weight α of the teacher term.
    public var alpha = 0.9
    // Data
    public var data = TaskOptions()

    public init() {}

    /// Problems with the settings, each naming the setting to change (empty when usable).
    public func problems() -> [SettingProblem] {
        var problems: [SettingProblem] = []
        func check(_ ok: Bool, _ key: String, _ value: Any?, _ problem: String) {
            if !ok { problems.append(SettingProblem(key, value.map { "\($0)" }, problem)) }
        }
        check(lr > 0 && lr.isFinite, "lr", lr, "the learning rate must be positive")
        check(epochs >= 1, "epochs", epochs, "train for at least 1 epoch")
        check(batchSize >= 1, "batch_size", batchSize, "must be at least 1")
        check(!batchNorm || batchSize >= 2, "batch_size", batchSize, "{batch_norm} needs batches of at least 2 rows")
        check(!hidden.contains { $0 < 1 }, "hidden", hidden.map(String.init).joined(separator: ","), "every width must be at least 1")
        check((0..<1).contains(dropout), "dropout", dropout, "must be in [0, 1)")
        check(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)")
        check(weightDecay >= 0, "weight_decay", weightDecay, "must not be negative")
        check(gradSteps >= 0, "grad_steps", gradSteps, "must not be negative")
        check(!multiHead || !hidden.isEmpty, "multi_head", nil, "needs at least one hidden layer")
        check(data.tolerance >= 0, "data.tolerance", data.tolerance, "must not be negative")
        check(temperature > 0, "temperature", temperature, "must be positive")
        check((0...1).contains(alpha), "alpha", alpha, "must be in [0, 1]")
        check(freeze.isEmpty || initFrom != nil, "freeze", nil, "needs a model to start from ({init_from})")
        check(reinit.isEmpty || initFrom != nil, "reinit", nil, "needs a model to start from ({init_from})")
        return problems
    }

    /// The architecture these settings describe for `task`.
    public func architecture(for task: TaskDefinition) -> Architecture {
        var a = Architecture(inputs: task.inputWidth, hidden: hidden, outputs: task.outputWidth)
        a.activation = activation
        a.batchNorm = batchNorm
        a.dropout = dropout
        a.residual = residual
        a.zeroInitResidual = zeroInitResidual
        a.multiHead = multiHead
        a.initialization = initialization
        if matchMultiHeadParameters && !multiHead {
            var twin = a
            twin.multiHead = true
            a = a.widenedLastLayer(toMatch: twin.parameterCount)
        }
        return a
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case task, seed, hidden, activation, dropout, residual, initialization, optimizer, lr, momentum
        case beta1, beta2, schedule, gamma, decay, epochs, data
        case batchNorm = "batch_norm", zeroInitResidual = "zero_init_residual", multiHead = "multi_head"
        case matchMultiHeadParameters = "match_multi_head_parameters", weightDecay = "weight_decay"
        case adamEps = "adam_eps", stepSize = "step_size", batchSize = "batch_size", gradSteps = "grad_steps"
        case initFrom = "init_from", freeze, reinit, teacher, temperature, alpha
    }
}


/// The optimiser.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case sgd, adam, adamw }

/// The learning-rate schedule, applied per epoch.
public enum ScheduleKind: String, Codable, CaseIterable, Sendable {
    case constant, step, exponential, cosine
    case inverseTime = "inverse-time"
}
