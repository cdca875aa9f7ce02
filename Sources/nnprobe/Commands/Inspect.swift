import ArgumentParser
import NNCheckpoint

/// `nnprobe inspect FILE`: the structure of a checkpoint or activation dump.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a checkpoint or activation dump holds.",
        discussion: """
            For a checkpoint: provenance, layers with shapes and parameter counts, heads, the \
            training configuration, final metrics and the gradient records present. For a dump: \
            the probe, sample count and layer widths.
            """)

    @Argument(help: "A checkpoint or activation dump (.h5).")
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (_, kind) = try NNProbeFile.open(file)
        switch kind {
        case .checkpoint:
            let report = InspectReport.checkpoint(try Checkpoint.read(from: file), file: file)
            if output.json { try printJSON(report) } else { print(report.text()) }
        case .activations:
            let report = try InspectReport.dump(ActivationDumpReader(path: file))
            if output.json { try printJSON(report) } else { print(report.text()) }
        }
    }
}
