import NNAnalysis
import NNCheckpoint

/// Why a model-aware analysis cannot run on the values it was given. Settings are named by key
/// (`layer`, `vary`, `plane`, …), never by flag: `described(naming:)` lets the command line word
/// them as the flags that set them. The file is not part of the error: the caller knows it.
public enum AnalysisError: Error, Equatable, Sendable {
    /// A checkpoint's stored configuration does not decode as an nnprobe training configuration.
    case storedConfigUnreadable
    /// The task data of a stored configuration cannot be rebuilt; `reason` is worded by setting keys.
    case taskNotRebuildable(reason: String)
    /// The model's input width differs from the rebuilt task's.
    case inputWidthMismatch(modelInputs: Int, task: String, taskInputs: Int)
    /// Setting `vary`: the task has no sub-task of that name (`known` lists those it has).
    case unknownSubtask(String, task: String, known: [String])
    /// Setting `layer`: no such weight matrix; `valid` describes each layer, e.g. `0 (layer_0 16×4)`.
    case layerOutOfRange(Int, valid: [String])
    /// Setting `layer`: no weight layer has this name or begins with it and a dot; `layers` are
    /// the names there are, `groups` the names before their first dot (`block0`, `block1`, …) and
    /// a ResNet's stages (`stage1`, …).
    case unknownLayer(String, layers: [String], groups: [String])
    /// Setting `input-size`: the model's layers cannot take inputs of height × width (`reason`
    /// names the first layer that cannot), or it has no conv layers to place.
    case inputSizeUnfit(height: Int, width: Int, reason: String)
    /// A conv layer's spectrum cannot be computed as asked (`reason`, e.g. too many values).
    case convolutionSpectrum(layer: String, reason: String)
    /// Settings `keys` (`view`, `input-size`, `circular`) concern conv layers, and the layers
    /// selected have none.
    case noConvolutionLayers(keys: [String])
    /// Setting `layer`: no such trunk layer among `count` layers of activations.
    case activationLayerOutOfRange(Int, count: Int)
    /// Setting `vary`: an activation dump whose probe is not the requested one.
    case dumpProbeMismatch(wanted: String, probe: ActivationProbe)
    /// The checkpoint holds no gradient records (it was not trained by nnprobe).
    case noGradientRecords
    /// A safetensors file without a single 2-D tensor.
    case noMatrices
    /// The exact linear-region analysis does not apply to this model.
    case regionsUnsupported(reason: String)
    /// Setting `plane`: two input indices that are not two different inputs of the model.
    case planeAxes([Int], inputs: Int)
    /// Setting `key` (`at`, `p0/p1/p2`, `from/to`): points of `count` coordinates for a model of `inputs`.
    case pointWidth(key: String, count: Int?, inputs: Int)
    /// Setting `max-regions`: the slice holds more linear regions than `limit`.
    case tooManyRegions(limit: Int)
    /// Setting `key` (`images`): row `row` of `source` (the task's test split, a file), which has `count` rows.
    case rowOutOfRange(key: String, row: Int, source: String, count: Int)
    /// Read-out geometry needs a hidden layer under the read-out.
    case readoutNeedsHiddenLayer
    /// An activation dump whose inputs are not the rows (from file `reference`) every representation
    /// is compared on; `reason` says where they first differ.
    case rowsDiffer(reference: String, reason: String)
    /// A model taking `modelInputs` inputs cannot run on the rows of `reference`, which have `rowWidth`.
    case rowWidthMismatch(reference: String, rowWidth: Int, modelInputs: Int)
    /// Activations of trunk layer `layer` hold NaN or ±∞ on the rows.
    case nonFiniteActivations(layer: Int)
    /// A probe or baseline could not be fitted to the representation called `subject` (`layer_0`, `inputs`).
    case probeUnfit(String, ProbeFitError)
    /// XGBoost failed on the representation called `subject`; `message` is its own, on one line.
    case baselineFailed(String, message: String)
    /// Setting `key` (`baseline`, `method`): a method for the other kind of task (logistic
    /// regression for regression targets, ridge for classes).
    case probeMethodMismatch(String, classification: Bool, key: String = "baseline")
    /// Causal tests need a hidden layer; the model is a single block (an MLP: a single linear map).
    case noHiddenLayer
    /// Setting `layer`: no layer (or step) of that name; `valid` lists the names there are.
    case unknownLayerName(String, valid: [String])
    /// A layer of the model whose activations a probe does not read (a conv layer inside a block,
    /// a head); `probed` are the names it reads.
    case noStoredActivations(String, probed: [String])
    /// Setting `units`: a unit the layer does not have.
    case unitOutOfRange(Int, layer: String, width: Int)
    /// Setting `top-k`: more directions than the layer has units.
    case topKTooLarge(Int, layer: String, width: Int)
    /// Setting `on`: probe grids are scored against the task's formula, which this task lacks.
    case noProbeTargets(task: String)
    /// The rows measured on are too few.
    case tooFewRows(Int, needed: Int)
    /// The model's output width differs from the rebuilt task's.
    case outputWidthMismatch(modelOutputs: Int, task: String, taskOutputs: Int)
    /// The analysis cannot run on this model; `reason` says why.
    case modelUnsupported(reason: String)
    /// A stored tensor of the model holds NaN or ±∞.
    case nonFiniteWeights(tensor: String)

    /// The sentence with every setting named by `name` (e.g. its flag).
    public func described(naming name: (String) -> String) -> String {
        switch self {
        case .storedConfigUnreadable:
            "its stored config is not an nnprobe training configuration, so its task data cannot be rebuilt"
        case .taskNotRebuildable(let reason):
            "cannot rebuild its task data: \(reason)"
        case .inputWidthMismatch(let modelInputs, let task, let taskInputs):
            "the model takes \(modelInputs) inputs but task \(task) has \(taskInputs)"
        case .unknownSubtask(let subtask, let task, let known):
            "task \(task) has no sub-task '\(subtask)'; "
                + (known.isEmpty ? "it has none (use \(name("vary")) all)" : "its sub-tasks: \(known.joined(separator: ", ")), or all")
        case .layerOutOfRange(let layer, let valid):
            "\(name("layer")) \(layer) is out of range; valid layers: \(valid.joined(separator: ", "))"
        case .unknownLayer(let layer, let layers, let groups):
            "\(name("layer")) \(layer): no layer has this name; layers: \(layers.joined(separator: ", "))"
                + (groups.isEmpty ? "" : "; or all of a block's\(groups.contains { $0.hasPrefix("stage") } ? " or stage's" : ""): \(groups.joined(separator: ", "))")
        case .inputSizeUnfit(let height, let width, let reason):
            "\(name("input-size")) \(height),\(width): \(reason)"
        case .convolutionSpectrum(let layer, let reason):
            "\(layer): \(reason)"
        case .noConvolutionLayers(let keys):
            "\(keys.map(name).joined(separator: ", ")) concern\(keys.count == 1 ? "s" : "") conv layers, and the layers analysed have none"
        case .activationLayerOutOfRange(let layer, let count):
            "\(name("layer")) \(layer) is out of range; valid layers: 0…\(count - 1)"
        case .dumpProbeMismatch(let wanted, let probe):
            "this dump varies \(probe.kind == .vary ? probe.variedTask : "nothing (it is the \(probe.dataset) split)"), not \(wanted)"
        case .noGradientRecords:
            "no gradient records (it was not trained by nnprobe)"
        case .noMatrices:
            "no 2-D tensors"
        case .regionsUnsupported(let reason):
            reason
        case .planeAxes(let axes, let inputs):
            "\(name("plane")) \(axes.map(String.init).joined(separator: ",")) needs two different inputs below \(inputs)"
        case .readoutNeedsHiddenLayer:
            "ortho needs a hidden layer under the read-out; this model is a single linear map"
        case .pointWidth(let key, let count, let inputs):
            key == "at"
                ? "\(name(key)) has \(count ?? 0) values, the model takes \(inputs) inputs"
                : "\(key.split(separator: "/").map { name(String($0)) }.joined(separator: "/")) need \(inputs) coordinates each"
        case .tooManyRegions(let limit):
            "more than \(limit) linear regions on the slice; raise \(name("max-regions")) (each region holds its polygon and output map) or shrink \(name("box"))"
        case .rowOutOfRange(let key, let row, let source, let count):
            "\(name(key)) \(row) is out of range: \(source) has \(count) rows (0…\(count - 1))"
        case .rowsDiffer(let reference, let reason):
            "its inputs are not the rows of \(reference) (\(reason)); representations are compared on the same rows in the same order"
        case .rowWidthMismatch(let reference, let rowWidth, let modelInputs):
            "the model takes \(modelInputs) inputs but the rows of \(reference) have \(rowWidth)"
        case .nonFiniteActivations(let layer):
            "layer_\(layer)'s activations hold NaN or ±∞ on the rows compared"
        case .probeUnfit(let subject, let error):
            "\(subject): \(error.described(naming: name))"
        case .baselineFailed(let subject, let message):
            "\(subject): \(message)"
        case .probeMethodMismatch(let method, let classification, let key):
            "\(name(key)) \(method) does not fit this task: it is a \(classification ? "classification" : "regression") task; "
                + "use \(classification ? "logistic" : "ridge")" + (key == "baseline" ? ", xgboost or all" : " or xgboost")
        case .noHiddenLayer:
            "the model has no hidden layer to ablate (a single block); name a step with \(name("layer"))"
        case .unknownLayerName(let layer, let valid):
            "\(name("layer")) \(layer) is not a layer of this model; layers: \(valid.joined(separator: ", "))"
        case .noStoredActivations(let layer, let probed):
            "\(name("layer")) \(layer) is a layer inside a block, whose own activations are not kept; probe a block's output: \(probed.joined(separator: ", "))"
        case .unitOutOfRange(let unit, let layer, let width):
            "\(name("units")) \(unit) is out of range: \(layer) has \(width) units (0…\(width - 1))"
        case .topKTooLarge(let k, let layer, let width):
            "\(name("top-k")) \(k) is more than the \(width) units of \(layer)"
        case .noProbeTargets(let task):
            "\(name("on")) probes needs a regression task with sub-tasks and a formula for its targets; task \(task) has none (use \(name("on")) test)"
        case .tooFewRows(let count, let needed):
            "the rows measured on are \(count); at least \(needed) are needed"
        case .outputWidthMismatch(let modelOutputs, let task, let taskOutputs):
            "the model has \(modelOutputs) outputs but task \(task) has \(taskOutputs)"
        case .modelUnsupported(let reason):
            reason
        case .nonFiniteWeights(let tensor):
            "\(tensor) holds NaN or ±∞, so every loss the analysis would measure is undefined"
        }
    }
}

extension AnalysisError: CustomStringConvertible {
    /// The sentence with settings named by their keys.
    public var description: String { described { $0 } }
}
