import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks
import NNTrain

/// `train` with list-valued flags: planning the cross product and running it as a sweep.
extension Train {
    /// Every run the settings describe — defaults ← --config ← flags, crossed over the swept
    /// settings (--depth × --width slowest, seeds fastest) — with the swept flags' values; with
    /// --init-from, each run takes its source model's architecture (the models, read once, come too).
    func plannedRuns() throws -> (runs: [(config: TrainingConfig, labels: [(String, String)])], sources: [String: LayerModel]) {
        var patch = try config.map { try ConfigFile.settings($0) } ?? SettingsPatch()
        if let task { patch.set("task", task) }
        patch = patch.merging(model.settings).merging(data.settings)
        patch.set("seed", seed)
        var runs: [(config: TrainingConfig, labels: [(String, String)])] = []
        for shape in model.depthByWidth ?? [(hidden: [], labels: [])] {
            var shaped = patch
            if model.depthByWidth != nil { shaped.set("hidden", .array(shape.hidden.map(JSONValue.integer))) }
            let described: [SettingsPatch.Run]
            do { described = try shaped.runs(from: TrainingConfig()) } catch let error as DecodingError {
                throw CommandFailure(ConfigFile.describe(error))
            }
            runs += described.map { run in
                (run.config, shape.labels + run.sweep.map { (SettingFlags.label(for: $0.key), run.config.sweepLabel(for: $0.key)) })
            }
        }
        var sources: [String: LayerModel] = [:], storedConfigs: [String: TrainingConfig] = [:]
        for (i, run) in runs.enumerated() {
            guard let path = run.config.run.initFrom else { continue }
            if sources[path] == nil {
                let checkpoint = try Checkpoint.read(from: path, training: false, convNets: true)
                sources[path] = checkpoint.layerModel
                storedConfigs[path] = try? JSONDecoder().decode(TrainingConfig.self, from: Data(checkpoint.config.utf8))
            }
            runs[i].config = run.config.adoptingArchitecture(of: sources[path]!, stored: storedConfigs[path])
        }
        return (runs, sources)
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
        let sweep = SweepRunner.plan(planned)
        var runs = sweep
        if let shard, let (k, n) = Self.parseShard(shard) {
            runs = runs.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
            // A slice with nothing to train leaves the directory (and its index) as it is.
            guard !runs.isEmpty else {
                print("shard \(k)/\(n): no runs (the sweep has \(planned.count)); nothing to train in \(directory)")
                return
            }
        }
        let axes = planned[0].labels.map(\.0)
        let runner = SweepRunner(directory: directory, runs: runs, sweep: sweep, axes: axes,
                                 jobs: jobs ?? availableCores, overwrite: overwrite)
        let index = try runner.execute()
        if figure.plot != nil {
            let histories = try runs.map { (name: $0.name, history: try Checkpoint.read(from: runner.checkpoint($0), convNets: true).history) }
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
