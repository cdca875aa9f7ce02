import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

/// Which trunk layers an analysis looks at.
public enum LayerSelection: Equatable, Sendable {
    case all
    case index(Int)
}

extension LinearProbes {
    /// What `of(_:task:settings:file:progress:)` probes, on which rows.
    public struct CheckpointSettings: Sendable, Equatable {
        /// The trunk layers probed.
        public var layer: LayerSelection = .all
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

    /// Per-layer linear probes of `checkpoint` (read from `file`): each selected trunk layer's
    /// activations on the first `rows` rows of its task's training split are fitted to the
    /// labels (logistic regression) or targets (ridge), and scored on the first `rows` rows of
    /// the held-out split (with `subtask`, only that sub-task's outputs are targets); baselines
    /// are fitted on the raw inputs of the same rows. The trees of an XGBoost baseline are seeded
    /// with the run's seed. `progress(done, total, next)` is called before each fit and once at
    /// the end (with `next` empty).
    ///
    /// Throws `AnalysisError`: a layer out of range, non-finite activations, a probe that cannot
    /// be fitted (one class among the training rows, a setting out of range), a baseline that does
    /// not fit the task's kind, or XGBoost's own failure.
    public static func of(_ checkpoint: Checkpoint, task context: CheckpointTask, settings: CheckpointSettings, file: String,
                          progress: (_ done: Int, _ total: Int, _ next: String) -> Void = { _, _, _ in }) throws -> ProbeReport {
        guard settings.rows >= 1 else { throw AnalysisError.probeUnfit("probe", .setting(key: "rows", value: Double(settings.rows), requirement: "≥ 1")) }
        let model = checkpoint.model
        let layers: [Int]
        switch settings.layer {
        case .all: layers = Array(model.layers.indices)
        case .index(let i):
            guard model.layers.indices.contains(i) else { throw AnalysisError.activationLayerOutOfRange(i, count: model.layers.count) }
            layers = [i]
        }
        let train = context.splits.train.subset(0..<min(settings.rows, context.splits.train.count))
        let heldOutSplit = settings.heldOut.rows(of: context.splits)
        let heldOut = heldOutSplit.subset(0..<min(settings.rows, heldOutSplit.count))
        var targets = try Self.targets(train, heldOut, classification: context.task.isClassification)
        if let name = settings.subtask {
            let outputs = try context.subtask(named: name).outputs
            guard case .values(let a, let b) = targets else { throw AnalysisError.unknownSubtask(name, task: context.task.name, known: []) }
            targets = .values(train: a.columns(outputs), heldOut: b.columns(outputs))
        }
        let total = layers.count + settings.baselines.count
        progress(0, total, "activations")

        let network = LayerNetwork<Float>(model)
        let (trainActs, heldOutActs) = (network.collectActivations(inputs: train.inputs), network.collectActivations(inputs: heldOut.inputs))
        var fit = settings.fit
        fit.trees.seed = context.seed
        let method = linearMethod(for: targets)
        var entries: [ProbeReport.Entry] = []
        for (k, i) in layers.enumerated() {
            let width = model.layers[i].outputs
            let (a, b) = settings.preActivations ? (trainActs.pre[i], heldOutActs.pre[i]) : (trainActs.post[i], heldOutActs.post[i])
            guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw AnalysisError.nonFiniteActivations(layer: i) }
            progress(k, total, "layer_\(i)")
            let features = Features(name: "layer_\(i)", train: Matrix(rows: train.count, cols: width, storage: a),
                                    heldOut: Matrix(rows: heldOut.count, cols: width, storage: b))
            entries.append(.init(layer: i, try LinearProbes.fit(features, targets: targets, method: method, settings: fit)))
        }
        let inputs = Features(name: "inputs", train: Matrix(rows: train.count, cols: train.inputWidth, storage: train.inputs),
                              heldOut: Matrix(rows: heldOut.count, cols: heldOut.inputWidth, storage: heldOut.inputs))
        var baselines: [ProbeReport.Entry] = []
        for (k, baseline) in settings.baselines.enumerated() {
            progress(layers.count + k, total, "\(baseline.rawValue) on the inputs")
            baselines.append(.init(layer: nil, try LinearProbes.fit(inputs, targets: targets, method: baseline, settings: fit)))
        }
        progress(total, total, "")

        let classification = method == .logistic
        let trees = fit.trees
        return ProbeReport(
            file: file, task: context.task.name, subtask: settings.subtask, kind: classification ? "classification" : "regression",
            metric: classification ? "accuracy" : "r2", activations: settings.preActivations ? "pre" : "post",
            trainSplit: Split.train.rawValue, heldOutSplit: settings.heldOut.rawValue, nTrain: train.count, nHeldOut: heldOut.count,
            chance: Self.chance(targets),
            settings: .init(c: classification ? fit.c : nil, tol: classification ? fit.tolerance : nil, alpha: classification ? nil : fit.alpha,
                            xgboost: settings.baselines.contains(.xgboost)
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
