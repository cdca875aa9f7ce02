import NNModel
import NNTasks

/// Every setting of a training run, in four sections: the model, its optimisation, the data
/// (`TaskOptions`) and how the run starts (`RunSettings`), plus the task and the seed.
///
/// A setting is one field of a section: its key (`batch_norm`, `data.train_size`), coding,
/// comparison, hashing into run names and the patches that set it all follow from that field.
/// Stored (in checkpoints) as one level of snake_case keys with the data options under `data`;
/// see TrainingConfig+Coding.swift. Files and flags change it through a `SettingsPatch`.
public struct TrainingConfig: Equatable, Sendable {
    public var task = "multi-mult"
    public var seed: UInt64 = 0
    public var model = ModelSettings()
    public var optimization = OptimizationSettings()
    public var data = TaskOptions()
    public var run = RunSettings()

    public init() {}

    /// Problems with the settings, each naming the setting to change (empty when usable).
    public func problems() -> [SettingProblem] {
        var problems: [SettingProblem] = []
        func check(_ ok: Bool, _ key: String, _ value: Any?, _ problem: String) {
            if !ok { problems.append(SettingProblem(key, value.map { "\($0)" }, problem)) }
        }
        let (m, o, r) = (model, optimization, run)
        check(o.lr > 0 && o.lr.isFinite, "lr", o.lr, "the learning rate must be positive")
        check(o.epochs >= 1, "epochs", o.epochs, "train for at least 1 epoch")
        check(o.epochs <= 10_000_000, "epochs", o.epochs, "at most 10,000,000 epochs")
        check(o.batchSize >= 1, "batch_size", o.batchSize, "must be at least 1")
        check(!m.batchNorm || o.batchSize >= 2, "batch_size", o.batchSize, "{batch_norm} needs batches of at least 2 rows")
        check(!m.hidden.contains { $0 < 1 }, "hidden", m.hidden.map(String.init).joined(separator: ","), "every width must be at least 1")
        check((0..<1).contains(m.dropout), "dropout", m.dropout, "must be in [0, 1)")
        check(o.momentum >= 0 && o.momentum < 1, "momentum", o.momentum, "must be in [0, 1)")
        check(o.weightDecay >= 0, "weight_decay", o.weightDecay, "must not be negative")
        check(r.gradSteps >= 0, "grad_steps", r.gradSteps, "must not be negative")
        check(!m.multiHead || !m.hidden.isEmpty, "multi_head", nil, "needs at least one hidden layer")
        check(data.tolerance >= 0, "data.tolerance", data.tolerance, "must not be negative")
        check(r.temperature > 0, "temperature", r.temperature, "must be positive")
        check((0...1).contains(r.alpha), "alpha", r.alpha, "must be in [0, 1]")
        check(r.freeze.isEmpty || r.initFrom != nil, "freeze", nil, "needs a model to start from ({init_from})")
        check(!r.freezeBackbone || r.initFrom != nil, "freeze_backbone", nil, "needs a model to start from ({init_from})")
        check(r.reinit.isEmpty || r.initFrom != nil, "reinit", nil, "needs a model to start from ({init_from})")
        check(!m.blocks.isEmpty && m.blocks.allSatisfy { $0 >= 1 && $0 <= 64 }, "blocks", m.blocks.map(String.init).joined(separator: ","),
              "give 1 to 64 BasicBlocks per stage for at least one stage")
        check(m.blocks.count <= 8, "blocks", m.blocks.count, "at most 8 stages (each halves the image)")
        check((1...4096).contains(m.baseWidth), "base_width", m.baseWidth, "must be in 1…4096")
        check(m.channels.allSatisfy { (1...4096).contains($0) }, "channels", m.channels.map(String.init).joined(separator: ","), "every channel count must be in 1…4096")
        check(m.fc.allSatisfy { $0 >= 1 }, "fc", m.fc.map(String.init).joined(separator: ","), "every width must be at least 1")
        check(m.arch == .resnet || m.headsOn == .last, "heads_on", m.headsOn.rawValue, "heads on stages need --arch resnet")
        check(m.arch == .mlp || !m.multiHead, "multi_head", nil, "is for MLPs; a ResNet takes {heads_on} stages")
        return problems
    }

    /// The architecture these settings describe for `task`.
    public func architecture(for task: TaskDefinition) -> Architecture {
        let a = Architecture(inputs: task.inputWidth, outputs: task.outputWidth, settings: model, inputShape: task.resolvedInputShape)
        guard model.matchMultiHeadParameters && !model.multiHead else { return a }
        var twin = a
        twin.multiHead = true
        return a.widenedLastLayer(toMatch: twin.parameterCount)
    }
}
