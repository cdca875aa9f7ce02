import ArgumentParser
import NNCheckpoint
import NNModel
import NNModelAnalyses

/// `nnprobe inspect FILE…`: the structure of checkpoints and activation dumps.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what checkpoints or activation dumps hold.",
        discussion: """
            For a checkpoint: provenance, layers with shapes and parameter counts, heads, the \
            training configuration, final metrics and the gradient records present. For a dump: \
            the probe, sample count and layer widths. Several files are shown one after the other \
            (with --json: one document whose `files` holds each file's); a file that cannot be read \
            is named on stderr and the others are still shown (exit status 1).
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "A checkpoint's layers to show: an index (0-based), a layer's name (block2.main.0, layer_1, head1.1), a block's (block2), a stage's (stage2) or torchvision's (layer2.0.conv1).")
    var layer: LayerAddress?
    @OptionGroup var output: OutputOptions

    /// With --json and several files: each file's document, and the files that failed.
    struct Many: Encodable {
        let schema = "nnprobe.inspect/1"
        let files: [InspectReport]
        /// The files that could not be read (key absent when none).
        let errors: [FileError]?
    }

    func run() throws {
        let paths = try inputs.resolve()
        let layer = layer
        let done = PerFile.analyse(paths) { try Self.report($0, layer: layer) }
        try done.requireAny()
        if output.json {
            if paths.count == 1 {
                try printJSON(done.values[0])
            } else {
                try printJSON(Many(files: done.values, errors: done.errors.isEmpty ? nil : done.errors))
            }
        } else {
            print(done.values.map { $0.text() }.joined(separator: "\n\n"))
        }
        try done.finish()
    }

    /// What one checkpoint or activation dump holds; of a checkpoint's layers, those `layer` names.
    static func report(_ file: String, layer: LayerAddress? = nil) throws -> InspectReport {
        switch try NNProbeFile.open(file).kind {
        case .checkpoint:
            let checkpoint = try Checkpoint.read(from: file, convNets: true)
            return try AnalysisFlags.naming(file) { try InspectReport.checkpoint(checkpoint, file: file).only(layer, stack: checkpoint.layers?.stack) }
        case .activations:
            if layer != nil { throw CommandFailure("\(file): --layer selects a checkpoint's layers; this is an activation dump (its blocks are listed whole)") }
            return try InspectReport.dump(ActivationDumpReader(path: file))
        }
    }
}
