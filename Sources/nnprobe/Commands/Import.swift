import ArgumentParser
import NNCheckpoint
import NNModel
import NNTrain

/// `nnprobe import`: a model trained elsewhere becomes an nnprobe checkpoint.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a PyTorch state dict saved as safetensors (an MLP, a torchvision ResNet-18/34, an nn.Sequential conv net) into an nnprobe checkpoint.",
        discussion: """
            A torchvision BasicBlock ResNet (resnet18(), resnet34(), or other block counts, widths and \
            class counts), recognised by its tensors conv1.weight, layer1.0.conv1.weight and \
            fc.weight, becomes the model torchvision computes, on images of --input-shape (default \
            3,224,224; pass 3,32,32 for CIFAR): stem 7×7 conv, batch norm, ReLU, 3×3 max-pool; one \
            block per BasicBlock; global average pooling and fc.

            An nn.Sequential needs --layers, since a state dict lists only the modules with tensors: \
            one item per module, comma-separated — conv2d:OUT:K[:STRIDE[:PADDING]], linear:OUT, \
            batchnorm (1-d or 2-d), relu, tanh, gelu, identity, maxpool:K[:STRIDE[:PADDING]], \
            avgpool:K[:STRIDE[:PADDING]] (stride defaults to K), globalavgpool (AdaptiveAvgPool2d(1) \
            and Flatten), flatten, dropout:P. The file's modules in natural name order go to the \
            conv2d, linear and batchnorm items in order; a conv has a bias when the file has one. \
            Needs --input-shape.

            Any other file is an MLP: its modules in natural name order (layers.2 before layers.10), a \
            2-D `weight` with its `bias` an nn.Linear (out × in), a 1-D `weight`, `bias`, \
            `running_mean` and `running_var` an nn.BatchNorm1d on the linear layer before it. Hidden \
            layers get --activation, the last layer is the identity output.

            Every tensor is checked against the shape its layer needs; a tensor missing, of another \
            shape or left over (num_batches_tracked aside) is refused in one line naming it, so no \
            layer is dropped. F32, F64, F16 and BF16 are read. MLPs are written as checkpoint format \
            1, conv nets as format 2. The checkpoint has no training history; `svd`, `norms` and \
            (with --task) the task-based analyses apply to an MLP, `train --init-from` to any.
            """)

    @Argument(help: "The .safetensors file.", completion: .file(extensions: ["safetensors"]))
    var file: String
    @Option(help: "The layers of an nn.Sequential, comma-separated, e.g. conv2d:16:3:1:1,batchnorm,relu,maxpool:2,flatten,linear:10 (the items are listed above).")
    var layers: String?
    @Option(help: "The shape of one input, C,H,W (or N, for N flat features): a ResNet's defaults to 3,224,224; --layers needs it.")
    var inputShape: FeatureShape?
    @Option(help: "Activation of an MLP's hidden layers: relu, tanh, gelu or identity (default relu).")
    var activation: Activation?
    @Option(help: "Task the model solves, recorded so task-based analyses can rebuild its data (optional).")
    var task: String?
    @Option(help: "The checkpoint to write.", completion: .file(extensions: ["h5"]))
    var out: String
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let schema = "nnprobe.import/1"
        let file: String
        let source: String
        /// `mlp`, `resnet` or `sequential`.
        let kind: String
        let format: Int
        let inputShape: [Int]
        let layers: [[Int]]
        let parameterCount: Int
        enum CodingKeys: String, CodingKey {
            case schema, file, source, kind, format, layers
            case inputShape = "input_shape", parameterCount = "parameter_count"
        }
    }

    func validate() throws {
        if let layers {
            do { _ = try Layer.list(specs: layers) } catch { throw ValidationError("--layers: \(error)") }
            if inputShape == nil { throw ValidationError("--layers needs --input-shape C,H,W (or N for flat features)") }
            if activation != nil { throw ValidationError("--activation is for MLPs; with --layers, list each activation (relu, tanh, gelu) among the layers") }
        }
    }

    func run() throws {
        let tensors = try SafeTensors.read(file)
        if let specs = layers {
            try write(SafeTensors.sequential(try Layer.list(specs: specs), input: inputShape!, from: tensors, file: file), kind: "sequential")
        } else if SafeTensors.isResNet(tensors) {
            if activation != nil { throw CommandFailure("\(file): --activation is for MLPs; a ResNet uses ReLU") }
            try write(SafeTensors.resNet(from: tensors, input: inputShape ?? FeatureShape(channels: 3, height: 224, width: 224), file: file), kind: "resnet")
        } else {
            if inputShape != nil {
                throw CommandFailure("\(file): --input-shape is for ResNets and --layers; this file is read as an MLP, whose input width is its first weight's")
            }
            try write(SafeTensors.mlp(from: tensors, activation: activation ?? .relu, file: file))
        }
    }

    /// The configuration stored with the model: the task, when given.
    func config(_ edit: (inout TrainingConfig) -> Void = { _ in }) throws -> String {
        try task.map { task in
            var settings = TrainingConfig()
            settings.task = task
            edit(&settings)
            return try JSONOutput.encode(settings, pretty: false)
        } ?? "{}"
    }

    func write(_ model: MLP) throws {
        let config = try config { settings in
            settings.model.hidden = model.layers.dropLast().map(\.outputs)
            settings.model.activation = activation ?? .relu
            settings.model.batchNorm = model.layers.contains { $0.batchNorm != nil }
        }
        try Checkpoint(task: task ?? "imported", seed: 0, config: config, model: model).write(to: out)
        let report = Report(file: out, source: file, kind: "mlp", format: 1, inputShape: [model.inputWidth, 1, 1],
                            layers: model.layers.map { [$0.outputs, $0.inputs] }, parameterCount: model.parameterCount)
        if output.json { try printJSON(report) } else {
            print("wrote \(out): \(model.layers.count) layers (" + report.layers.map { "\($0[0])×\($0[1])" }.joined(separator: ", ")
                  + "), \(model.parameterCount) parameters")
        }
    }

    /// Writes a conv net (format 2; format 1 when its layers make an MLP).
    func write(_ model: LayerModel, kind: String) throws {
        let checkpoint = Checkpoint(task: task ?? "imported", seed: 0, config: try config(), model: model)
        try checkpoint.write(to: out)
        let weighted = ((try? model.stack.layers().get()) ?? []).compactMap { placed -> [Int]? in
            switch placed.layer {
            case .conv2d(let channels, _, _, _, _): [channels, placed.input.channels]
            case .linear(let outputs): [outputs, placed.input.count]
            default: nil
            }
        }
        let input = model.stack.input
        let report = Report(file: out, source: file, kind: kind, format: checkpoint.isLayerStack ? 2 : 1,
                            inputShape: [input.channels, input.height, input.width], layers: weighted, parameterCount: model.parameterCount)
        if output.json { try printJSON(report) } else {
            print("wrote \(out): \(kind == "resnet" ? "a ResNet" : "an nn.Sequential") of \(weighted.count) conv/linear layers on \(input) inputs, "
                  + "\(model.parameterCount) parameters (checkpoint format \(report.format))")
        }
    }
}
