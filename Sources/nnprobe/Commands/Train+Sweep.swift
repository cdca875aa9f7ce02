import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNTrain

/// `train` with list-valued flags: planning the cross product and running it as a sweep.
extension Train {
    /// Every run the flags describe (one unless some flag lists several values), seeds varying fastest.
    func plannedRuns() throws -> [(config: TrainingConfig, labels: [(String, String)])] {
        let seedAxis = SweepAxis<TrainingConfig>("seed", seed.flatMap { $0.values.count > 1 ? $0 : nil }) { $0.seed = UInt64($1) }
        let axes = (model.axes + data.axes).filter { $0.labels.count > 1 } + [seedAxis]
        return crossProduct(try resolvedConfig().settings, axes)
    }

    static func parseShard(_ text: String) -> (k: Int, n: Int)? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }

    /// Trains the planned runs as a sweep into the --save directory (see `SweepRunner`).
    func runSweep(_ planned: [(config: TrainingConfig, labels: [(String, String)])]) throws {
        for entry in planned {
            if let problem = entry.config.problems().first { throw CommandFailure(SettingFlags.describe(problem)) }
        }
        guard let save else {
            throw CommandFailure("a sweep of \(planned.count) runs needs --save [DIR] (its checkpoints, configs and index go there)")
        }
        if saveEvery != nil { throw CommandFailure("--save-every is for single runs, not sweeps") }
        var base = planned[0].config
        base.seed = 0
        let directory = switch save {
        case .defaultLocation: "checkpoints/\(base.task)/sweep-" + RunNaming.name(for: base).replacingOccurrences(of: "-s0", with: "")
        case .path(let path): path
        }
        var runs = SweepRunner.plan(planned)
        if let shard, let (k, n) = Self.parseShard(shard) { runs = runs.enumerated().filter { $0.offset % n == k - 1 }.map(\.element) }
        let axes = planned[0].labels.map(\.0)
        let runner = SweepRunner(directory: directory, runs: runs, axes: axes,
                                 jobs: jobs ?? availableCores, json: output.json, overwrite: overwrite)
        let index = try runner.execute()
        if figure.plot != nil {
            let histories = try runs.map { (name: $0.name, history: try Checkpoint.read(from: runner.checkpoint($0)).history) }
            try figure.write(TrainingFigure.make(histories, title: "\(base.task): \(runs.count) runs"))
        }
        if output.json { return try printJSON(index) }
        let diverged = index.runs.filter { $0.status == RunStatus.diverged.rawValue }.count
        print("sweep: \(runs.count) runs over \(axes.joined(separator: " × ")) in \(directory)"
              + (diverged > 0 ? " (\(diverged) diverged)" : "") + "; index: \(directory)/index.json"
              + (index.seconds.map { String(format: "; %.1f s", $0) } ?? ""))
        print("summarise with: nnprobe summary \(directory)" + (axes.count > 1 ? " --by \(axes[0])" : ""))
    }
}
