import NNLinalg
import NNModel

extension Checkpoint {
    /// Reads and validates the checkpoint at `path`.
    ///
    /// Throws `FileFormatError` naming the file and the problem: missing, not HDF5, not nnprobe's,
    /// a newer format version, a missing object, or shapes that do not fit together.
    /// - Parameters:
    ///   - training: false skips `history` and `gradients` (analyses of weights alone).
    ///   - convNets: accept format 2's conv nets (`layers`); otherwise such a file is refused
    ///     with one line, for commands that read MLPs only.
    public static func read(from path: String, training: Bool = true, convNets: Bool = false) throws -> Checkpoint {
        try read(from: path, history: training, gradients: training, convNets: convNets)
    }

    /// Reads the checkpoint at `path` with its learning curves (`history`, `deadUnits`) and
    /// gradient records only where asked: what a pack keeps of a run is everything but the latter.
    static func read(from path: String, history training: Bool, gradients: Bool, convNets: Bool = false) throws -> Checkpoint {
        try read(root: NNProbeFile.open(path, expecting: .checkpoint).root, file: path, history: training, gradients: gradients,
                 convNets: convNets)
    }

    /// The checkpoint under `root`, the opened file `path` (see `read(from:history:gradients:convNets:)`).
    static func read(root: HDF5Group, file path: String, history training: Bool, gradients: Bool, convNets: Bool = false) throws -> Checkpoint {
        do {
            let modelGroup = try root.group("model")
            let isStack = try modelGroup.hasAttribute("kind") && modelGroup.stringAttribute("kind") == "layers"
            if isStack && !convNets {
                throw FileFormatError(file: path, "holds a conv net (checkpoint format 2); this command reads MLP checkpoints only")
            }
            let stack = isStack ? try readLayers(modelGroup, file: path) : nil
            let mlp = isStack ? MLP(layers: []) : try readModel(modelGroup, file: path)
            let (task, seed, config) = (try root.stringAttribute("task"), try root.integerAttribute("seed"), try root.stringAttribute("config"))
            let (status, version, created) = (try readStatus(root, file: path), try root.stringAttribute("nnprobe_version"),
                                              try root.stringAttribute("created"))
            var checkpoint = Checkpoint(task: task, seed: seed, config: config, status: status, model: mlp,
                                        nnprobeVersion: version, created: created)
            checkpoint.layers = stack
            if training, try root.kind(of: "history") == .group {
                (checkpoint.history, checkpoint.deadUnits) = try readHistory(root.group("history"))
            }
            if gradients, try root.kind(of: "gradients") == .group {
                checkpoint.gradients = try readGradients(root.group("gradients"))
            }
            return checkpoint
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// `/@status` (absent in the first files: `ok`); any other text is a format error.
    private static func readStatus(_ root: HDF5Group, file: String) throws -> RunStatus {
        guard try root.hasAttribute("status") else { return .ok }
        let text = try root.stringAttribute("status")
        guard let status = RunStatus(rawValue: text) else {
            throw FileFormatError(file: file, "/@status is '\(text)', expected ok or diverged")
        }
        return status
    }

    private static func readModel(_ group: HDF5Group, file: String) throws -> MLP {
        let layerCount = try count(group, "n_layers", file: file)
        let headCount = try count(group, "n_heads", optional: true, file: file)
        var layers: [DenseLayer] = []
        for index in 0..<layerCount {
            let g = try group.group("layer_\(index)")
            let weight = try readMatrix(g, "weight", file: file)
            let activationName = try g.stringAttribute("activation")
            guard let activation = Activation(rawValue: activationName) else {
                throw FileFormatError(file: file, "\(g.path): activation '\(activationName)' is not one of \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var batchNorm: BatchNorm?
            if try g.hasAttribute("batch_norm"), try g.integerAttribute("batch_norm") != 0 {
                batchNorm = BatchNorm(
                    gamma: try readVector(g, "gamma", file: file), beta: try readVector(g, "beta", file: file),
                    runningMean: try readVector(g, "running_mean", file: file),
                    runningVar: try readVector(g, "running_var", file: file),
                    eps: try g.hasAttribute("bn_eps") ? g.doubleAttribute("bn_eps") : 1e-5,
                    momentum: try g.hasAttribute("bn_momentum") ? g.doubleAttribute("bn_momentum") : 0.1)
            }
            layers.append(DenseLayer(
                weight: weight, bias: try readVector(g, "bias", file: file), batchNorm: batchNorm,
                activation: activation,
                residual: try g.hasAttribute("residual") ? g.integerAttribute("residual") != 0 : false,
                dropout: try g.hasAttribute("dropout") ? g.doubleAttribute("dropout") : 0))
        }
        var heads: [Head] = []
        for index in 0..<headCount {
            let g = try group.group("head_\(index)")
            heads.append(Head(
                weight: try readMatrix(g, "weight", file: file), bias: try readVector(g, "bias", file: file),
                sourceLayer: Int(try g.integerAttribute("source_layer"))))
        }
        let model = MLP(layers: layers, heads: heads)
        if let problem = model.shapeProblems().first {
            throw FileFormatError(file: file, "model/\(problem)")
        }
        return model
    }

    /// A count attribute of `group` (`n_layers`, `n_heads`): 0 when `optional` and absent, never negative.
    static func count(_ group: HDF5Group, _ name: String, optional: Bool = false, file: String) throws -> Int {
        if optional, try !group.hasAttribute(name) { return 0 }
        let value = try group.integerAttribute(name)
        guard value >= 0, value <= Int32.max else { throw FileFormatError(file: file, "\(group.path): \(name) is \(value), not a count") }
        return Int(value)
    }

    static func readMatrix(_ group: HDF5Group, _ name: String, file: String) throws -> Matrix<Float> {
        let dataset = try group.dataset(name)
        let (shape, values) = try dataset.readWithShape(as: Float.self)
        guard shape.count == 2 else {
            throw FileFormatError(file: file, "\(dataset.path): shape \(shape), expected 2-D (out × in)")
        }
        return Matrix(rows: shape[0], cols: shape[1], storage: values)
    }

    private static func readVector(_ group: HDF5Group, _ name: String, file: String) throws -> [Float] {
        let dataset = try group.dataset(name)
        let (shape, values) = try dataset.readWithShape(as: Float.self)
        guard shape.count == 1 else {
            throw FileFormatError(file: file, "\(dataset.path): shape \(shape), expected 1-D")
        }
        return values
    }

    private static func readDoubles(_ group: HDF5Group, _ name: String) throws -> [Double] {
        try group.kind(of: name) == .dataset ? group.dataset(name).read(as: Double.self) : []
    }

    private static func readHistory(_ group: HDF5Group) throws -> (TrainingHistory, [Double]) {
        var history = TrainingHistory()
        history.trainLoss = try readDoubles(group, "train_loss")
        history.trainAccuracy = try readDoubles(group, "train_accuracy")
        history.valLoss = try readDoubles(group, "val_loss")
        history.valAccuracy = try readDoubles(group, "val_accuracy")
        history.learningRate = try readDoubles(group, "learning_rate")
        history.testLoss = try group.hasAttribute("test_loss") ? group.doubleAttribute("test_loss") : .nan
        history.testAccuracy = try group.hasAttribute("test_accuracy") ? group.doubleAttribute("test_accuracy") : .nan
        history.stepsPerEpoch = try group.hasAttribute("steps_per_epoch") ? Int(clamping: group.integerAttribute("steps_per_epoch")) : 0
        history.seconds = try group.hasAttribute("seconds") ? group.doubleAttribute("seconds") : nil
        return (history, try readDoubles(group, "dead_units"))
    }

    private static func readGradients(_ group: HDF5Group) throws -> GradientFlow {
        var flow = GradientFlow(stepsKept: try group.hasAttribute("steps_kept") ? Int(group.integerAttribute("steps_kept")) : 0)
        var ordered: [(Int64, GradientFlow.Record)] = []
        for name in try group.members() where try group.kind(of: name) == .group {
            let g = try group.group(name)
            var record = GradientFlow.Record(name: name)
            for prefix in ["first", "last"] {
                var stats = GradientStats()
                stats.steps = try (g.kind(of: "\(prefix)_steps") == .dataset ? g.dataset("\(prefix)_steps").read(as: Int64.self) : []).map { Int($0) }
                stats.norm = try readDoubles(g, "\(prefix)_norm")
                stats.meanAbs = try readDoubles(g, "\(prefix)_mean_abs")
                stats.stdAbs = try readDoubles(g, "\(prefix)_std_abs")
                if prefix == "first" { record.first = stats } else { record.last = stats }
            }
            record.epochMeanNorm = try readDoubles(g, "epoch_mean_norm")
            ordered.append((try g.hasAttribute("order") ? g.integerAttribute("order") : Int64(ordered.count), record))
        }
        flow.records = ordered.sorted { $0.0 < $1.0 }.map(\.1)
        return flow
    }
}
