import ArgumentParser
import NNBaselines
import NNCheckpoint
import NNLinalg
import NNModelAnalyses
import NNTasks

/// `nnprobe probe`: linear probes per layer, and baselines on the raw inputs.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Linear probes per layer: how well a linear read-out of each layer predicts the task.",
        discussion: """
            Each layer's activations on the checkpoint's training split (rebuilt from its config \
            and seed) are fitted to the labels — multinomial logistic regression, L2 penalty, \
            scikit-learn's LogisticRegression(C) objective, L-BFGS to a tight tolerance — or to the \
            targets — ridge, as scikit-learn's Ridge(alpha) —, and scored on held-out rows \
            (--held-out, default the test split): accuracy, or R² averaged over outputs. \
            Features are used as they are, not standardised (as scikit-learn does by default). \
            A conv net's layers are its blocks (block0, …), their image-shaped outputs averaged \
            over positions per channel; --layer input probes the raw inputs. --method xgboost \
            fits gradient-boosted trees (XGBoost, tree_method hist, seeded with the run's seed) \
            instead; --baseline fits on the raw inputs too. --class-subset probes an image task \
            on other classes than the run's (a backbone trained on 0-4, probed on 5-9). --rows \
            caps the rows taken from each split (the first ones; splits are drawn at random).
            """)

    @Argument(help: "A checkpoint (default: the newest under checkpoints/).", completion: .file(extensions: ["h5"]))
    var file: String?
    @Option(help: "The layer to probe: its index (0-based; a conv net's block), its name (layer_1, block2, a stage: stage2 or layer2, its last block), input for the raw inputs, or all (default).")
    var layer: LayerAddress?
    @Option(help: "Fit each probed layer with logistic (classification), ridge (regression) or xgboost (default: the task's linear one).")
    var method: LinearProbes.Method?
    @Option(name: .customLong("class-subset"), help: "Image tasks: probe on these classes (e.g. 5-9 or 5,6,7,8,9), relabelled 0…k−1 in order, instead of the run's.")
    var classSubset: String?
    @Option(help: "Predict only this sub-task's outputs (task0, task1, …), or all.")
    var task: VariedInputs = .all
    @Option(name: .customLong("held-out"), help: "The split probes are scored on (they are fitted on train).")
    var heldOut: HeldOutSplit = .test
    @Option(help: "At most this many rows of each split.")
    var rows = 10_000
    @Flag(help: "Probe pre-activations (before the nonlinearity) instead of layer outputs.")
    var pre = false
    @Option(name: .customLong("C"), help: "Logistic regression's inverse penalty strength (scikit-learn's C).")
    var c = 1.0
    @Option(help: "Logistic regression stops when no gradient entry of its objective (divided by C·n) exceeds this (scikit-learn's tol).")
    var tol = 1e-10
    @Option(help: "Ridge's penalty strength (scikit-learn's alpha).")
    var alpha = 1.0
    @Option(help: "Also fit on the raw inputs: logistic (classification), ridge (regression), xgboost, or all.")
    var baseline: BaselineSelection?
    @OptionGroup(title: "XGBoost baseline") var trees: TreeOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows \(rows): need at least 1") }
        if !(c > 0) || !c.isFinite { throw ValidationError("--C \(formatNumber(c)): must be a positive number") }
        if !(tol > 0) || !tol.isFinite { throw ValidationError("--tol \(formatNumber(tol)): must be a positive number") }
        if !(alpha >= 0) || !alpha.isFinite { throw ValidationError("--alpha \(formatNumber(alpha)): must be 0 or more") }
        try trees.validate()
    }

    func run() throws {
        var subset: ClassSubset?
        if let text = classSubset {
            do { subset = try ClassSubset(parsing: text) } catch { throw CommandFailure("--class-subset \(text): \(error.problem)") }
        }
        let path = try file ?? CheckpointInputs.defaultCheckpoint()
        let bar = ProgressBar()
        let report = try FileError.naming(path) {
            try AnalysisFlags.naming(path, flags: ["vary": "--task"]) {
                let checkpoint = try Checkpoint.read(from: path, training: false, convNets: true)
                let context = try CheckpointTask(checkpoint, classSubset: subset)
                return try LinearProbes.of(checkpoint, task: context, settings: settings(classification: context.task.isClassification),
                                           file: path) { done, total, next in bar.update(done: done, total: total, detail: next) }
            }
        }
        bar.finish()
        try figure.write(ProbeFigure.make(report))
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// The library's settings from the flags, for a classification task or not.
    func settings(classification: Bool) -> LinearProbes.CheckpointSettings {
        var s = LinearProbes.CheckpointSettings()
        (s.layer, s.method, s.rows, s.heldOut, s.preActivations, s.subtask) = (layer == .name("all") ? nil : layer, method, rows, heldOut.split, pre, task.subtaskName)
        (s.fit.c, s.fit.tolerance, s.fit.alpha, s.fit.trees) = (c, tol, alpha, trees.settings)
        s.baselines = baseline?.methods(classification: classification) ?? []
        return s
    }
}

/// The XGBoost baseline's trees.
struct TreeOptions: ParsableArguments {
    @Option(help: "Boosting rounds (XGBoost's n_estimators).")
    var estimators = 100
    @Option(name: .customLong("max-depth"), help: "Deepest tree (XGBoost's max_depth).")
    var maxDepth = 6
    @Option(name: .customLong("learning-rate"), help: "Shrinkage per round (XGBoost's eta).")
    var learningRate = 0.3

    func validate() throws {
        if estimators < 1 { throw ValidationError("--estimators \(estimators): need at least 1") }
        if maxDepth < 1 { throw ValidationError("--max-depth \(maxDepth): need at least 1") }
        if !(learningRate > 0) || !learningRate.isFinite { throw ValidationError("--learning-rate \(formatNumber(learningRate)): must be a positive number") }
    }

    var settings: GradientBoostedTrees.Settings {
        .init(estimators: estimators, maxDepth: maxDepth, learningRate: learningRate, seed: 0, threads: availableCores)
    }
}

/// `--held-out`: a split other than the one probes are fitted on.
enum HeldOutSplit: String, ExpressibleByArgument, CaseIterable {
    case test, val

    var split: Split { self == .test ? .test : .val }
}

/// `--baseline`: one method, or the linear one of the task's kind and XGBoost.
enum BaselineSelection: ExpressibleByArgument, Equatable {
    case one(LinearProbes.Method)
    case all

    init?(argument: String) {
        if argument == "all" { self = .all } else if let m = LinearProbes.Method(rawValue: argument) { self = .one(m) } else { return nil }
    }

    /// The methods, for a classification task or not.
    func methods(classification: Bool) -> [LinearProbes.Method] {
        switch self {
        case .one(let m): [m]
        case .all: [classification ? .logistic : .ridge, .xgboost]
        }
    }

    static var allValueStrings: [String] { LinearProbes.Method.allCases.map(\.rawValue) + ["all"] }
}

extension LinearProbes.Method: ExpressibleByArgument {}
