import ArgumentParser
import NNCheckpoint

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
        let done = PerFile.analyse(paths, Self.report)
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

    /// What one checkpoint or activation dump holds.
    static func report(_ file: String) throws -> InspectReport {
        switch try NNProbeFile.open(file).kind {
        case .checkpoint: InspectReport.checkpoint(try Checkpoint.read(from: file, convNets: true), file: file)
        case .activations: try InspectReport.dump(ActivationDumpReader(path: file))
        }
    }
}
