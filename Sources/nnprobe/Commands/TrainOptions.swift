import ArgumentParser
import NNModel
import NNTasks
import NNTrain

extension Activation: ExpressibleByArgument, SettingArgument {}
extension Initialization: ExpressibleByArgument, SettingArgument {}
extension OptimizerKind: ExpressibleByArgument, SettingArgument {}
extension ScheduleKind: ExpressibleByArgument, SettingArgument {}
extension ModelFamily: ExpressibleByArgument, SettingArgument {}
extension HeadPlacement: ExpressibleByArgument, SettingArgument {}

/// `--freeze`: blocks by number, name or range (`0,2-4`, `block1,block3-block5`), or `backbone`
/// (every block but the read-out).
struct FreezeList: ExpressibleByArgument {
    let blocks: [Int]
    let backbone: Bool
    init?(argument: String) {
        if argument == "backbone" { (blocks, backbone) = ([], true); return }
        var blocks: [Int] = []
        for part in argument.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
                .map { Int($0.hasPrefix("block") ? $0.dropFirst(5) : $0) }
            guard (1...2).contains(ends.count), let low = ends.first!, let high = ends.last!, low >= 0, high >= low, high - low < 100_000 else { return nil }
            blocks += Array(low...high)
        }
        guard !blocks.isEmpty else { return nil }
        (self.blocks, backbone) = (blocks, false)
    }
}

/// A comma-separated list of widths, e.g. `16,16,16`.
struct WidthList: ExpressibleByArgument, SettingArgument {
    let widths: [Int]
    init(widths: [Int]) { self.widths = widths }
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        widths = parts.map { $0! }
    }

    var settingValue: JSONValue { .array(widths.map(JSONValue.integer)) }
}

/// The model, optimisation and run flags of `train`. Every flag is optional: unset flags keep
/// the value from `--config` (or the built-in default). A flag is declared here and named, by
/// its setting key, in `settings`; the setting itself is a field of `TrainingConfig`'s sections.
struct ModelOptions: ParsableArguments {
    @Option(help: "Hidden widths, comma-separated, e.g. 16,16,16 (default 16); one architecture, not a sweep.")
    var hidden: WidthList?
    @Option(parsing: .unconditional, help: "Number of hidden layers (with --width; instead of --hidden). A list sweeps.")
    var depth: ValueList<Int>?
    @Option(parsing: .unconditional, help: "Width of every hidden layer (with --depth). A list sweeps.")
    var width: ValueList<Int>?
    @Option(help: "Hidden activation: relu, tanh, gelu or identity (default relu).")
    var activation: Activation?
    @Flag(inversion: .prefixedNo, help: "Batch norm before every hidden activation.")
    var batchNorm: Bool?
    @Option(parsing: .unconditional, help: "Dropout rate on hidden outputs during training, in [0, 1) (default 0).")
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
    @Option(help: "Model family: mlp (default), cnn (3×3 conv layers, then dense layers) or resnet (BasicBlock stages); cnn and resnet need image tasks.")
    var arch: ModelFamily?
    @Option(help: "ResNet: BasicBlocks per stage, e.g. 1,1,1,1 (default) or 3,4,6,3; stages after the first halve the size and double the channels.")
    var blocks: WidthList?
    @Option(parsing: .unconditional, help: "ResNet: channels of the stem and the first stage (default 64); --width says the same with --arch resnet. A list sweeps.")
    var baseWidth: ValueList<Int>?
    @Option(help: "CNN: channels of each 3×3 conv layer (each then ReLU and 2×2 max-pool), e.g. 32,64 (default).")
    var channels: WidthList?
    @Option(help: "CNN: widths of the dense layers after the convolutions, e.g. 128 (default).")
    var fc: WidthList?
    @Option(help: "Read-outs: last (default) or stages (a head on each ResNet stage's pooled output, summed).")
    var headsOn: HeadPlacement?

    @Option(help: "Optimiser: sgd, adam or adamw (default adam).")
    var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Learning rate (default 0.001). A list, e.g. 1,0.2,0.01, sweeps.")
    var lr: ValueList<Double>?
    @Option(parsing: .unconditional, help: "SGD momentum (default 0).")
    var momentum: ValueList<Double>?
    @Option(parsing: .unconditional, help: "Weight decay: L2 for sgd/adam, decoupled for adamw (default 0).")
    var weightDecay: ValueList<Double>?
    @Option(help: "Learning-rate schedule per epoch: constant, step, inverse-time, cosine, exponential.")
    var schedule: ScheduleKind?
    @Option(parsing: .unconditional, help: "Step schedule: epochs between decays (default 10).")
    var stepSize: ValueList<Int>?
    @Option(parsing: .unconditional, help: "Step/exponential schedules: decay factor (default 0.1).")
    var gamma: ValueList<Double>?
    @Option(parsing: .unconditional, help: "Inverse-time schedule: lr0 / (1 + decay·epoch) (default 0.1).")
    var decay: ValueList<Double>?
    @Option(parsing: .unconditional, help: "Epochs (default 20).")
    var epochs: ValueList<Int>?
    @Option(parsing: .unconditional, help: "Mini-batch size (default 128).")
    var batchSize: ValueList<Int>?
    @Option(parsing: .unconditional, help: "Gradient flow: keep the first and last K optimiser steps (default 5).")
    var gradSteps: Int?

    @Option(help: "Transfer learning: start from this checkpoint's weights (its architecture replaces --hidden).", completion: .file(extensions: ["h5"]))
    var initFrom: String?
    @Option(help: "With --init-from: blocks (MLP layers, 0-based) not updated during training: 0,2-4 or block0,block2-block4; or 'backbone': all but the read-out.")
    var freeze: FreezeList?
    @Option(help: "With --init-from: blocks (MLP layers, 0-based) re-drawn from the initialisation first.")
    var reinit: WidthList?
    @Option(help: "Knowledge distillation: the teacher checkpoint (classification tasks).", completion: .file(extensions: ["h5"]))
    var teacher: String?
    @Option(parsing: .unconditional, help: "Distillation temperature T (default 4). A list sweeps.")
    var temperature: ValueList<Double>?
    @Option(parsing: .unconditional, help: "Distillation weight α: loss (1−α)·CE + α·T²·KL(teacher‖student) (default 0.9). A list sweeps.")
    var alpha: ValueList<Double>?

    /// `--width` with `--arch resnet` (and no --depth) is the ResNet's base width.
    private var widthIsBaseWidth: Bool { arch == .resnet && depth == nil }

    func validate() throws {
        if hidden != nil && (depth != nil || width != nil) {
            throw ValidationError("give either --hidden or --depth with --width, not both")
        }
        if widthIsBaseWidth && baseWidth != nil && width != nil { throw ValidationError("give --width or --base-width, not both") }
        if (depth == nil) != (width == nil) && !widthIsBaseWidth { throw ValidationError("--depth and --width go together") }
        if let depth, depth.values.contains(where: { $0 < 0 }) { throw ValidationError("--depth: must not be negative") }
    }

    /// The flags given, as settings (a flag listing several values sweeps its setting).
    var settings: SettingsPatch {
        var patch = SettingsPatch()
        patch.set("hidden", hidden)
        patch.set("activation", activation)
        patch.set("batch_norm", batchNorm)
        patch.set("residual", residual)
        patch.set("zero_init_residual", zeroInitResidual)
        patch.set("multi_head", multiHead)
        patch.set("match_multi_head_parameters", matchMultiHeadParameters)
        patch.set("initialization", initialization)
        patch.set("arch", arch)
        patch.set("blocks", blocks)
        patch.set("base_width", widthIsBaseWidth ? width ?? baseWidth : baseWidth)
        patch.set("channels", channels)
        patch.set("fc", fc)
        patch.set("heads_on", headsOn)
        // --no-residual also takes a ResNet's shortcuts away (an MLP has none by default).
        if residual == false { patch.set("no_residual", true) }
        patch.set("optimizer", optimizer)
        patch.set("schedule", schedule)
        patch.set("grad_steps", gradSteps)
        patch.set("init_from", initFrom)
        patch.set("freeze", freeze.map { WidthList(widths: $0.blocks) })
        if freeze?.backbone == true { patch.set("freeze_backbone", true) }
        patch.set("reinit", reinit)
        patch.set("teacher", teacher)
        patch.set("lr", lr)
        patch.set("batch_size", batchSize)
        patch.set("dropout", dropout)
        patch.set("momentum", momentum)
        patch.set("weight_decay", weightDecay)
        patch.set("step_size", stepSize)
        patch.set("gamma", gamma)
        patch.set("decay", decay)
        patch.set("epochs", epochs)
        patch.set("temperature", temperature)
        patch.set("alpha", alpha)
        return patch
    }

    /// `--depth D --width W`: the hidden widths of each combination (depth varying slowest), with
    /// the swept flags' values as labels; nil without the flags.
    var depthByWidth: [(hidden: [Int], labels: [(String, String)])]? {
        guard let depth, let width, !widthIsBaseWidth else { return nil }
        return depth.values.flatMap { d in
            width.values.map { w in
                (Array(repeating: w, count: d), (depth.values.count > 1 ? [("depth", String(d))] : [])
                    + (width.values.count > 1 ? [("width", String(w))] : []))
            }
        }
    }
}

/// The data flags of `train`.
struct DataOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Training rows (synthetic default 10000; for files, a cap).")
    var trainSize: ValueList<Int>?
    @Option(parsing: .unconditional, help: "Validation rows (synthetic default 2000).")
    var valSize: Int?
    @Option(parsing: .unconditional, help: "Test rows (synthetic default 2000).")
    var testSize: Int?
    @Option(parsing: .unconditional, help: "Noise: std of target noise (regression) or point noise (2-D sets).")
    var noise: ValueList<Double>?
    @Option(parsing: .unconditional, help: "Classes of spirals/blobs (default 2).")
    var classes: Int?
    @Option(help: "Data directory (idx) or CSV file (csv).", completion: .file())
    var data: String?
    @Option(help: "CSV label column: a header name or 0-based index (default: last column).")
    var labelColumn: String?
    @Option(parsing: .unconditional, help: "Regression accuracy: share of outputs within this absolute error (default 0.05).")
    var tolerance: ValueList<Double>?
    @Flag(inversion: .prefixedNo, help: "Shuffle the training labels (a control that can only memorise).")
    var randomLabels: Bool?
    @Flag(inversion: .prefixedNo, help: "Image tasks: random crop (4-pixel padding) and horizontal flip of every training batch, seeded.")
    var augment: Bool?
    @Option(name: .customLong("class-subset"), help: "Image tasks: keep only these classes (e.g. 0-4 or 5,6,7,8,9), relabelled 0…k−1 in the given order, on every split.")
    var classSubset: String?

    /// The flags given, as settings (a flag listing several values sweeps its setting).
    var settings: SettingsPatch {
        var patch = SettingsPatch()
        patch.set("data.val_size", valSize)
        patch.set("data.test_size", testSize)
        patch.set("data.classes", classes)
        patch.set("data.data", data)
        patch.set("data.label_column", labelColumn)
        patch.set("data.random_labels", randomLabels)
        patch.set("data.augment", augment)
        patch.set("data.class_subset", classSubset)
        patch.set("data.train_size", trainSize)
        patch.set("data.noise", noise)
        patch.set("data.tolerance", tolerance)
        return patch
    }
}
