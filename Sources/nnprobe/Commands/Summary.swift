import ArgumentParser
import Foundation
import NNCheckpoint
import NNModel
import NNPlot

/// `nnprobe summary`: a sweep's results grouped by hyper-parameter.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a sweep directory: mean ± std over seeds per hyper-parameter group, the best configuration.",
        discussion: "Reads SWEEP_DIR/index.json (written by `nnprobe train … --seeds …`). --plot draws each group's mean curves with its runs faint behind them, reading the runs' curves from SWEEP_DIR/sweep-pack.hdf5 while it is up to date, else from each checkpoint.")

    @Argument(help: "The sweep directory.", completion: .directory)
    var directory: String
    @Option(help: "Group by these swept flags, comma-separated (default: every swept flag but seed).")
    var by: String?
    @Option(help: "Moving-average window (epochs) for --plot (default 1: none).")
    var smooth = 1
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func run() throws {
        let index = try SweepIndex.read(directory: directory)
        let keys = by.map { $0.split(separator: ",").map(String.init) } ?? index.axes.filter { $0 != "seed" }
        if let unknown = keys.first(where: { !index.axes.contains($0) }) {
            throw CommandFailure("\(directory)/index.json: the sweep did not vary '\(unknown)'; it varied \(index.axes.joined(separator: ", "))")
        }
        let report = SummaryReport(index, directory: directory, by: keys)
        let unread = try plotCurves(report, index: index)
        if output.json { try printJSON(report) } else { print(report.text()) }
        try unread.finish()
    }

    /// With --plot, each group's curves: from the directory's pack while it is up to date, else
    /// from each checkpoint; one that cannot be read is named on stderr and left out of the plot
    /// (the returned failures end the command with status 1). The table comes from the index alone.
    private func plotCurves(_ report: SummaryReport, index: SweepIndex) throws -> PerFile<(path: String, history: TrainingHistory)> {
        let checkpoints = figure.plot == nil ? [] : index.runs.map { $0.checkpoint(in: directory) }
        let packed = checkpoints.isEmpty ? [:] : Self.packedHistories(directory, checkpoints: checkpoints)
        let read = PerFile.analyse(checkpoints.filter { packed[$0] == nil }) { path in
            (path: path, history: try Checkpoint.read(from: path, convNets: true).history)
        }
        guard figure.plot != nil else { return read }
        let histories = Dictionary(read.values.map { ($0.path, $0.history) }, uniquingKeysWith: { first, _ in first })
            .merging(packed) { first, _ in first }
        let curves = report.members.map { group in
            (label: group.label, histories: group.runs.compactMap { histories[$0.checkpoint(in: directory)] })
        }.filter { !$0.histories.isEmpty }
        if !curves.isEmpty {
            try figure.write(GroupFigure.make(curves, smoothing: smooth, title: "\(index.task): \(index.runs.count) runs"))
        }
        return read
    }

    /// The training histories of the runs `checkpoints` (paths as the index names them) that the
    /// fresh pack of `directory` holds, keyed by those paths; empty when there is no such pack.
    static func packedHistories(_ directory: String, checkpoints: [String]) -> [String: TrainingHistory] {
        guard let listed = try? CheckpointInputs.checkpoints(in: directory),
              let packed = try? WeightPack.readCheckpoints(directory: directory, files: listed) else { return [:] }
        // The index names a run's file as the sweep was given its directory; the listing as this command was.
        let byLocation = Dictionary(packed.map { (URL(fileURLWithPath: $0.key).standardizedFileURL.path, $0.value.history) },
                                    uniquingKeysWith: { first, _ in first })
        var histories: [String: TrainingHistory] = [:]
        for checkpoint in checkpoints {
            histories[checkpoint] = byLocation[URL(fileURLWithPath: checkpoint).standardizedFileURL.path]
        }
        return histories
    }

}
