import ArgumentParser
import NNCheckpoint
import NNModel
import NNTrain

/// `nnprobe import`: a model trained elsewhere becomes an nnprobe checkpoint.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a safetensors MLP (PyTorch / Hugging Face) into an nnprobe checkpoint.",
        discussion: """
            Reads the file's modules in natural name order (layers.2 before layers.10): a 2-D \
            `weight` with its `bias` is an nn.Linear (out × in), a 1-D `weight`, `bias`, \
            `running_mean` and `running_var` an nn.BatchNorm1d on the linear layer before it; any \
            other tensor is refused, so no layer is dropped. F32, F64, F16 and BF16 are read. Hidden \
            layers get --activation, the last layer is the identity output. The checkpoint has no \
            training history; `svd`, `norms` and (with --task) the task-based analyses apply to it.
            """)

    @Argument(help: "The .safetensors file.", completion: .file(extensions: ["safetensors"]))
    var file: String
    @Option(help: "Activation of the hidden layers: relu, tanh, gelu or identity (default relu).")
    var activation: Activation = .relu
    @Option(help: "Task the model solves, recorded so task-based analyses can rebuild its data (optional).")
    var task: String?
    @Option(help: "The checkpoint to write.", completion: .file(extensions: ["h5"]))
    var out: String
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let schema = "nnprobe.import/1"
        let file: String
        let source: String
        let layers: [[Int]]
        let parameterCount: Int
        enum CodingKeys: String, CodingKey { case schema, file, source, layers; case parameterCount = "parameter_count" }
    }

    func run() throws {
        let model = try SafeTensors.mlp(from: SafeTensors.read(file), activation: activation, file: file)
        let config = try task.map { task in
            var settings = TrainingConfig()
            settings.task = task
            settings.model.hidden = model.layers.dropLast().map(\.outputs)
            settings.model.activation = activation
            settings.model.batchNorm = model.layers.contains { $0.batchNorm != nil }
            return try JSONOutput.encode(settings, pretty: false)
        } ?? "{}"
        try Checkpoint(task: task ?? "imported", seed: 0, config: config, model: model).write(to: out)
        let report = Report(file: out, source: file, layers: model.layers.map { [$0.outputs, $0.inputs] }, parameterCount: model.parameterCount)
        if output.json { try printJSON(report) } else {
            print("wrote \(out): \(model.layers.count) layers (" + report.layers.map { "\($0[0])×\($0[1])" }.joined(separator: ", ")
                  + "), \(model.parameterCount) parameters")
        }
    }
}
