import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

extension LinearProbes {
    /// What `of(_:task:settings:file:progress:)` probes, on which rows.
    public struct CheckpointSettings: Sendable, Equatable {
        /// The representation probed: nil for every trunk layer (an MLP's layers, a conv net's
        /// blocks); an index (layer i, block i of a conv net); a name (`layer_1`, `block2`); or
        /// `input` for the raw inputs.
        public var layer: LayerAddress?
        /// The model fitted to each probed representation; nil: the task's linear one (logistic
        /// regression for classes, ridge for values).
        public var method: Method?
        /// At most this many rows of each split (the first ones; splits are drawn at random).
        public var rows = 10_000
        /// The split probes are scored on (`test` or `val`); they are fitted on `train`.
        public var heldOut: Split = .test
        /// Probe pre-activations (before the nonlinearity) instead of layer outputs.
        public var preActivations = false
        /// Predict only this sub-task's outputs (regression tasks with sub-tasks), or every output.
        public var subtask: String?
        /// Baselines fitted on the raw inputs, in this order.
        public var baselines: [Method] = []
        public var fit = Settings()

        public init() {}
    }

    /// The name `--layer` gives the raw inputs.
    public static let inputName = "input"

    /// Per-layer linear probes of `checkpoint` (read from `file`): each selected representation
    /// (a trunk layer's activations, a conv block's activations averaged over positions per
    /// channel, or the raw inputs) on the first `rows` rows of its task's training split is
    /// fitted to the labels (logistic regression) or targets (ridge), or with `settings.method`,
    /// and scored on the first `rows` rows of the held-out split (with `subtask`, only that
    /// sub-task's outputs are targets); baselines are fitted on the raw inputs of the same rows.
    /// The trees of XGBoost are seeded with the run's seed. `progress(done, total, next)` is
    /// called before each fit and once at the end (with `next` empty).
    ///
    /// Throws `AnalysisError`: a layer out of range or not a probed one, non-finite activations,
    /// a probe that cannot be fitted (one class among the training rows, a setting out of range),
    /// a method that does not fit the task's kind, or XGBoost's own failure.
    public static func of(_ checkpoint: Checkpoint, task context: CheckpointTask, settings: CheckpointSettings, file: String,
                          progress: (_ done: Int, _ total: Int, _ next: String) -> Void = { _, _, _ in }) throws -> ProbeReport {
        guard settings.rows >= 1 else { throw AnalysisError.probeUnfit("probe", .setting(key: "rows", value: Double(settings.rows), requirement: "≥ 1")) }
        let train = context.splits.train.subset(0..<min(settings.rows, context.splits.train.count))
        let heldOutSplit = settings.heldOut.rows(of: context.splits)
        let heldOut = heldOutSplit.subset(0..<min(settings.rows, heldOutSplit.count))
        var targets = try Self.targets(train, heldOut, classification: context.task.isClassification)
        if let name = settings.subtask {
            let outputs = try context.subtask(named: name).outputs
            guard case .values(let a, let b) = targets else { throw AnalysisError.unknownSubtask(name, task: context.task.name, known: []) }
            targets = .values(train: a.columns(outputs), heldOut: b.columns(outputs))
        }
        let linear = linearMethod(for: targets)
        let method = settings.method ?? linear
        if method != .xgboost, method != linear { throw AnalysisError.probeMethodMismatch(method.rawValue, classification: linear == .logistic, key: "method") }
        let representations = try ProbedLayers(checkpoint)
        let selected = try representations.select(settings.layer)
        let total = selected.count + settings.baselines.count
        progress(0, total, "activations")

        let (trainActs, heldOutActs) = (representations.activations(train.inputs, pre: settings.preActivations, layers: selected),
                                            representations.activations(heldOut.inputs, pre: settings.preActivations, layers: selected))
        var fit = settings.fit
        fit.trees.seed = context.seed
        let inputs = Features(name: "inputs", train: Matrix(rows: train.count, cols: train.inputWidth, storage: train.inputs),
                              heldOut: Matrix(rows: heldOut.count, cols: heldOut.inputWidth, storage: heldOut.inputs))
        var entries: [ProbeReport.Entry] = []
        for (k, layer) in selected.enumerated() {
            progress(k, total, layer.map { representations.names[$0] } ?? "inputs")
            guard let i = layer else {
                entries.append(.init(layer: nil, try LinearProbes.fit(inputs, targets: targets, method: method, settings: fit)))
                continue
            }
            let (a, b) = (trainActs[k], heldOutActs[k])
            guard a.storage.allSatisfy(\.isFinite), b.storage.allSatisfy(\.isFinite) else { throw AnalysisError.nonFiniteActivations(layer: i) }
            let features = Features(name: representations.names[i], train: a, heldOut: b)
            entries.append(.init(layer: i, try LinearProbes.fit(features, targets: targets, method: method, settings: fit)))
        }
        var baselines: [ProbeReport.Entry] = []
        for (k, baseline) in settings.baselines.enumerated() {
            progress(selected.count + k, total, "\(baseline.rawValue) on the inputs")
            baselines.append(.init(layer: nil, try LinearProbes.fit(inputs, targets: targets, method: baseline, settings: fit)))
        }
        progress(total, total, "")

        let classification = linear == .logistic
        let trees = fit.trees
        let usesTrees = settings.baselines.contains(.xgboost) || method == .xgboost
        return ProbeReport(
            file: file, task: context.task.name, subtask: settings.subtask, kind: classification ? "classification" : "regression",
            metric: classification ? "accuracy" : "r2", activations: settings.preActivations ? "pre" : "post",
            trainSplit: Split.train.rawValue, heldOutSplit: settings.heldOut.rawValue, nTrain: train.count, nHeldOut: heldOut.count,
            classSubset: context.classSubset?.classes, chance: Self.chance(targets),
            settings: .init(c: classification ? fit.c : nil, tol: classification ? fit.tolerance : nil, alpha: classification ? nil : fit.alpha,
                            xgboost: usesTrees
                                ? .init(nEstimators: trees.estimators, maxDepth: trees.maxDepth, learningRate: trees.learningRate, seed: trees.seed)
                                : nil),
            layers: entries, baselines: baselines)
    }

    /// The labels (classification) or targets of the two sets of rows.
    private static func targets(_ train: Dataset, _ heldOut: Dataset, classification: Bool) throws -> Targets {
        if classification {
            guard let a = train.labels, let b = heldOut.labels else {
                throw AnalysisError.taskNotRebuildable(reason: "a classification task without class labels")
            }
            return .classes(train: a.map(Int.init), heldOut: b.map(Int.init))
        }
        let (a, b) = (train.targetRows, heldOut.targetRows)
        return .values(train: Matrix(rows: train.count, cols: train.outputWidth, storage: a),
                       heldOut: Matrix(rows: heldOut.count, cols: heldOut.outputWidth, storage: b))
    }

    /// The held-out accuracy of always answering the most frequent training class (ties: the
    /// smallest label); nil for regression.
    private static func chance(_ targets: Targets) -> Double? {
        guard case .classes(let train, let heldOut) = targets else { return nil }
        var counts: [Int: Int] = [:]
        for label in train { counts[label, default: 0] += 1 }
        guard let top = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else { return nil }
        return ProbeScore.accuracy(predicted: heldOut.map { _ in top }, labels: heldOut)
    }
}

private extension Matrix {
    /// The columns at `indices`, in that order.
    func columns(_ indices: [Int]) -> Matrix {
        Matrix(rows: rows, cols: indices.count, storage: (0..<rows).flatMap { i in indices.map { self[i, $0] } })
    }
}
