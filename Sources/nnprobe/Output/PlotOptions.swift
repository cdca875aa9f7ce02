import ArgumentParser
import Foundation
import NNPlot

/// The `--plot FILE.svg` option every subcommand shares.
struct PlotOptions: ParsableArguments {
    @Option(help: "Also draw the result as an SVG figure to this file.", completion: .file(extensions: ["svg"]))
    var plot: String?

    /// Writes `figure` when --plot was given (atomically), and says where on stderr.
    func write(_ figure: @autoclosure () -> Figure) throws {
        guard let plot else { return }
        try writeAtomically(figure().svg(), to: plot)
        printDiagnostic("nnprobe: figure written to \(plot)")
    }
}
