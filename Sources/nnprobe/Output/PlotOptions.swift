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

/// Writes `text` to a temporary file beside `path`, then renames it into place.
func writeAtomically(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
    do {
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw CommandFailure("\(path): cannot write (\(error.localizedDescription))")
    }
}
