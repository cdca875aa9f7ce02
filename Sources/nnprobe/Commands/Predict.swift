import ArgumentParser
import NNCheckpoint
import NNModel

/// `nnprobe predict`: a checkpoint's outputs on examples from a file.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a checkpoint (any model, conv nets included) on examples from an HDF5 file and write its outputs.",
        discussion: """
            The inputs are one float dataset, N × C × H × W (or N × C·H·W flattened; N × width for \
            an MLP), e.g. written by h5py. The outputs are the model's raw outputs (logits), in \
            evaluation mode (batch norm uses its running statistics, no dropout), written as \
            /outputs (N × output width, float32) of --out.
            """)

    @Argument(help: "The checkpoint.", completion: .file(extensions: ["h5"]))
    var checkpoint: String
    @Option(help: "The HDF5 file of inputs.", completion: .file(extensions: ["h5", "hdf5"]))
    var inputs: String
    @Option(help: "The inputs' dataset in that file.")
    var dataset = "inputs"
    @Option(help: "The HDF5 file to write.", completion: .file(extensions: ["h5"]))
    var out: String
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        let schema = "nnprobe.predict/1"
        let file: String
        let checkpoint: String
        let inputs: String
        let nSamples: Int
        let inputShape: [Int]
        let outputWidth: Int
        enum CodingKeys: String, CodingKey {
            case schema, file, checkpoint, inputs
            case nSamples = "n_samples", inputShape = "input_shape", outputWidth = "output_width"
        }
    }

    func run() throws {
        let model = try Checkpoint.read(from: checkpoint, training: false, convNets: true).layerModel
        let (count, values) = try PredictionFile.examples(inputs, dataset: dataset, shape: model.stack.input)
        let network = try LayerNetwork<Float>(model)
        // Chunks whose activations stay under 256 MiB, as evaluation sizes them.
        let outputs = network.predictions(for: values, chunk: network.evaluationChunk(rows: 1024))
        try PredictionFile.write(outputs, count: count, width: network.outputWidth, to: out, checkpoint: checkpoint, inputs: inputs)
        let input = model.stack.input
        let report = Report(file: out, checkpoint: checkpoint, inputs: inputs, nSamples: count,
                            inputShape: [input.channels, input.height, input.width], outputWidth: network.outputWidth)
        if output.json { try printJSON(report) } else { print("wrote \(out): \(count) × \(network.outputWidth) outputs of \(checkpoint)") }
    }
}
