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

    @Argument(help: "The sweep directory.")
    var directory: String
    @Option(help: "Group by these swept flags, comma-separated (default: every swept flag but seed).")
    var by: String?
    @Option(help: "Moving-average window (epochs) for --plot (default 1: none).")
    var smooth = 1
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    struct Group: Encodable {
        let parameters: [String: String]
        let runs: Int
        let diverged: Int
        let stepsPerEpoch: Int
        let finalValLoss, finalValAccuracy, testLoss, testAccuracy: DistributionJSON
        let firstValLoss, deadUnits: DistributionJSON
        enum CodingKeys: String, CodingKey {
            case parameters, runs, diverged
            case firstValLoss = "first_val_loss", deadUnits = "dead_units"
            case stepsPerEpoch = "steps_per_epoch", finalValLoss = "final_val_loss", finalValAccuracy = "final_val_accuracy"
            case testLoss = "test_loss", testAccuracy = "test_accuracy"
        }
    }

    struct Document: Encodable {
        let schema = "nnprobe.summary/1"
        let directory: String
        let by: [String]
        let groups: [Group]
        let best: [String: String]?
    }

    func run() throws {
        let path = "\(directory)/index.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): no such file (is \(directory) a sweep directory written by `nnprobe train --seeds …`?)")
        }
        let index: SweepIndex
        do { index = try JSONDecoder().decode(SweepIndex.self, from: data) } catch {
            throw CommandFailure("\(path): not a sweep index (\(error.localizedDescription))")
        }
        let keys = by.map { $0.split(separator: ",").map(String.init) } ?? index.axes.filter { $0 != "seed" }
        if let unknown = keys.first(where: { !index.axes.contains($0) }) {
            throw CommandFailure("\(path): the sweep did not vary '\(unknown)'; it varied \(index.axes.joined(separator: ", "))")
        }
        var order: [[String]] = []
        var members: [[String]: [SweepIndex.Entry]] = [:]
        for run in index.runs {
            let key = keys.map { run.parameters[$0] ?? "" }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        order.sort(by: Self.valuesAscending)
        let groups = order.map { key -> Group in
            let runs = members[key]!
            return Group(parameters: Dictionary(uniqueKeysWithValues: zip(keys, key)), runs: runs.count,
                         diverged: runs.filter { $0.status == RunStatus.diverged.rawValue }.count, stepsPerEpoch: runs[0].stepsPerEpoch,
                         finalValLoss: DistributionJSON(runs.map(\.finalValLoss)),
                         finalValAccuracy: DistributionJSON(runs.map(\.finalValAccuracy)),
                         testLoss: DistributionJSON(runs.map(\.testLoss)), testAccuracy: DistributionJSON(runs.map(\.testAccuracy)),
                         firstValLoss: DistributionJSON(runs.map(\.firstValLoss)), deadUnits: DistributionJSON(runs.map(\.deadUnits)))
        }
        let best = groups.filter { $0.finalValLoss.mean.isFinite }.min { $0.finalValLoss.mean < $1.finalValLoss.mean }
        // The plot reads every run's training curves, from the directory's pack while it is up to
        // date, else from each checkpoint: one that cannot be read is named on stderr and left out
        // of the plot (exit status 1 at the end); the table comes from the index alone.
        let packed = figure.plot == nil ? [:] : Self.packedHistories(directory, checkpoints: index.runs.map(\.checkpoint))
        let read = PerFile.analyse(figure.plot == nil ? [] : index.runs.map(\.checkpoint).filter { packed[$0] == nil }) { path in
            (path: path, history: try Checkpoint.read(from: path).history)
        }
        if figure.plot != nil {
            let histories = Dictionary(read.values.map { ($0.path, $0.history) }, uniquingKeysWith: { first, _ in first })
                .merging(packed) { first, _ in first }
            let curves = order.map { key in
                (label: keys.isEmpty ? "all runs" : zip(keys, key).map { "\($0)=\($1)" }.joined(separator: " "),
                 histories: members[key]!.compactMap { histories[$0.checkpoint] })
            }.filter { !$0.histories.isEmpty }
            if !curves.isEmpty {
                try figure.write(GroupFigure.make(curves, smoothing: smooth, title: "\(index.task): \(index.runs.count) runs"))
            }
        }
        let document = Document(directory: directory, by: keys, groups: groups, best: best?.parameters)
        if output.json {
            try printJSON(document)
            return try read.finish()
        }
        var table = TextTable(keys + ["runs", "steps/epoch", "val loss (epoch 1 → last)", "val accuracy", "test loss", "test accuracy", "dead units", "diverged"])
        for g in groups {
            table.add(keys.map { g.parameters[$0]! } + [String(g.runs), String(g.stepsPerEpoch),
                      "\(formatNumber(g.firstValLoss.mean)) → \(pm(g.finalValLoss))", pm(g.finalValAccuracy), pm(g.testLoss),
                      pm(g.testAccuracy), formatNumber(g.deadUnits.mean * 100, digits: 3) + "%", String(g.diverged)])
        }
        print("\(directory): \(index.runs.count) runs of \(index.task), mean ± std over seeds")
        print(table.render())
        if let best, !keys.isEmpty { print("best (lowest mean validation loss): " + keys.map { "\($0)=\(best.parameters[$0]!)" }.joined(separator: " ")) }
        try read.finish()
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

    /// Compares two groups' values key by key: numerically where both are numbers.
    static func valuesAscending(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if let p = Double(x), let q = Double(y) { return p < q }
            return x < y
        }
        return false
    }

    private func pm(_ d: DistributionJSON) -> String {
        d.count > 1 ? "\(formatNumber(d.mean)) ± \(formatNumber(d.std))" : formatNumber(d.mean)
    }
}
