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

    /// Problems with the settings, each naming the flag to change (empty when usable).
    public func problems() -> [String] {
        var problems: [String] = []
        if !(lr > 0) || !lr.isFinite { problems.append("--lr \(lr): the learning rate must be positive") }
        if epochs < 1 { problems.append("--epochs \(epochs): train for at least 1 epoch") }
        if batchSize < 1 { problems.append("--batch-size \(batchSize): must be at least 1") }
        if batchNorm && batchSize < 2 { problems.append("--batch-size 1 with --batch-norm: batch statistics need at least 2 rows") }
        if hidden.contains(where: { $0 < 1 }) { problems.append("--hidden \(hidden.map(String.init).joined(separator: ",")): every width must be at least 1") }
        if !(0..<1).contains(dropout) { problems.append("--dropout \(dropout): must be in [0, 1)") }
        if momentum < 0 || momentum >= 1 { problems.append("--momentum \(momentum): must be in [0, 1)") }
        if weightDecay < 0 { problems.append("--weight-decay \(weightDecay): must not be negative") }
        if gradSteps < 0 { problems.append("--grad-steps \(gradSteps): must not be negative") }
        if multiHead && hidden.isEmpty { problems.append("--multi-head needs at least one hidden layer") }
        if data.tolerance < 0 { problems.append("--tolerance \(data.tolerance): must not be negative") }
        if !(temperature > 0) { problems.append("--temperature \(temperature): must be positive") }
        if !(0...1).contains(alpha) { problems.append("--alpha \(alpha): must be in [0, 1]") }
        if (!freeze.isEmpty || !reinit.isEmpty) && initFrom == nil { problems.append("--freeze and --reinit need --init-from CKPT") }
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
