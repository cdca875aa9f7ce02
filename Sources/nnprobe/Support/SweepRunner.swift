import ArgumentParser
import Foundation
import NNCheckpoint
import NNModel
import NNTrain

/// Runs a sweep: `jobs` child `nnprobe train-group` processes, each handed the next run as it
/// finishes one (`SweepQueue`, `SweepProcess`).
///
/// Each run's settings go to `DIR/configs/NAME.json`, and its checkpoint to `DIR/NAME.h5`
/// (written atomically by the child as soon as the run is done); a child's stderr goes to
/// `DIR/logs/NAME.stderr`, NAME its first run (`SweepFiles`). A run is complete exactly
/// when its checkpoint exists and was trained with the same settings: re-running the same command
/// after Ctrl-C or a crash trains only the missing runs, and a checkpoint trained with other
/// settings is refused (unless `overwrite`) before anything is written.
/// `DIR/index.json` (schema `nnprobe.sweep/2`) lists every complete run of the whole sweep (of
/// every shard) with its parameters, status and final metrics, and is rewritten atomically as
/// runs finish (at most once a second, and when the sweep ends or stops); when every run is done, their
/// weights are stacked into `DIR/sweep-pack.hdf5` (`WeightPack`) for analyses over the whole
/// sweep. Ctrl-C, SIGTERM or SIGHUP stop the runs in progress and remove their unfinished files; runs die with the sweep even after `kill -9`.
struct SweepRunner {
    struct Run {
        let name: String
        let config: TrainingConfig
        let labels: [(String, String)]
    }

    let directory: String
    /// The runs this invocation trains (a shard's slice, or the whole sweep).
    let runs: [Run]
    /// Every run of the sweep, whichever shard trains it: the index lists each one that is complete.
    let sweep: [Run]
    let axes: [String]
    let jobs: Int
    /// Retrain runs whose checkpoint holds other settings instead of refusing.
    var overwrite = false

    /// Names each run after its settings, unique within the sweep.
    static func plan(_ configs: [(config: TrainingConfig, labels: [(String, String)])]) -> [Run] {
        var used = Set<String>()
        return configs.map { entry in
            var name = RunNaming.name(for: entry.config)
            if used.contains(name) {   // a swept flag the name does not show: add the labels
                name += "-" + entry.labels.map { "\($0.0)\($0.1)" }.joined(separator: "-")
            }
            used.insert(name)
            return Run(name: name, config: entry.config, labels: entry.labels)
        }
    }

    var files: SweepFiles { SweepFiles(directory: directory) }
    func checkpoint(_ run: Run) -> String { files.checkpoint(run.name) }

    /// The runs still to train, and the checkpoints of those complete (read once, for the index);
    /// throws, naming the first conflict, when a checkpoint holds a run trained with other
    /// settings and `overwrite` is off.
    func pendingRuns() throws -> (pending: [Run], complete: [String: Checkpoint]) {
        var pending: [Run] = []
        var complete: [String: Checkpoint] = [:]
        var refusals: [String] = []
        for run in runs {
            let (existing, stored) = ExistingRun.read(checkpoint(run), requested: run.config)
            switch existing {
            case .same: complete[run.name] = stored
            case .absent: pending.append(run)
            case .different, .unreadable:
                if overwrite { pending.append(run) } else if let refusal = existing.refusal(for: checkpoint(run)) { refusals.append(refusal) }
            }
        }
        if let first = refusals.first {
            throw CommandFailure(first + (refusals.count > 1 ? " (and \(refusals.count - 1) more runs of this sweep)" : ""))
        }
        return (pending, complete)
    }

    /// Trains the runs not yet complete; returns the index.
    func execute() throws -> SweepIndex {
        try SaveLocation.prepareDirectory(directory)
        let (pending, complete) = try pendingRuns()
        for sub in ["configs", "logs"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(sub)", withIntermediateDirectories: true)
        }
        var index = SweepIndex(task: runs.first?.config.task ?? "", axes: axes)
        removeUnfinishedFiles(of: pending)   // left by runs killed together with an earlier sweep
        for run in runs where complete[run.name] != nil {
            try writeConfig(run)
            index.record(run, checkpoint: checkpoint(run), read: complete[run.name], seconds: nil)
        }
        if pending.count < runs.count {
            printDiagnostic("nnprobe: \(runs.count - pending.count) of \(runs.count) runs already complete in \(directory); training the other \(pending.count)")
        }
        try writeWholeIndex(&index)
        Interruption.catchSignals()
        // A worker that died leaves a pipe nobody reads: writing a run's name to it must fail, not
        // kill the sweep (its exit is seen and reported).
        signal(SIGPIPE, SIG_IGN)
        let bar = ProgressBar()
        var queue = SweepQueue(pending)
        var running: [SweepProcess] = []
        var done = 0
        let started = Date()
        var written = Date(), unwritten = false
        /// Writes the index when runs finished since it was last written: at most every
        /// `indexInterval` seconds unless `now` (rewriting it after each of 1,000 runs costs as
        /// much as the runs).
        func writeIndex(now: Bool) throws {
            guard unwritten, now || Date().timeIntervalSince(written) >= Self.indexInterval else { return }
            try index.write(to: "\(directory)/index.json")
            (written, unwritten) = (Date(), false)
        }
        func record(_ run: Run, of child: SweepProcess, metrics: RunMetrics? = nil) {
            index.record(run, checkpoint: checkpoint(run), sent: metrics, seconds: child.lap())
            unwritten = true
            done += 1
            bar.update(done: done, total: pending.count,
                       detail: "\(done)/\(pending.count) runs, \(String(format: "%.1f", Double(done) / Date().timeIntervalSince(started))) runs/s",
                       force: true)
        }
        while !queue.isEmpty || !running.isEmpty {
            if let signal = Interruption.caught {
                bar.finish()
                let stopped = running.reduce(0) { $0 + $1.unfinished.count }
                stop(running)
                try writeIndex(now: true)
                printDiagnostic("nnprobe: sweep interrupted; \(done) of \(pending.count) runs finished, \(stopped) stopped; "
                                + "re-run the same command to train the rest")
                throw ExitCode(128 + signal)
            }
            // A run's config is written as it starts: the first runs need not wait for all.
            for child in running where child.isIdle {
                if let run = queue.nextTogether() {
                    try writeConfig(run)
                    child.assign(run)
                } else {
                    child.endInput()
                }
            }
            while running.count < jobs, let run = queue.next() {
                try writeConfig(run)
                running.append(try run.config.readsOtherModels ? SweepProcess(alone: run, files: files) : SweepProcess(worker: run, files: files))
            }
            // Wakes when a child reports a run or ends (a `train` child without a pipe, and a signal,
            // are seen at the timeout): no core waits idle for its next run.
            SweepProcess.waitForOutput(running, timeout: 0.05)
            for (i, child) in running.enumerated().reversed() {
                var exited = !child.process.isRunning   // looked at first: its last lines are read below
                for (run, metrics) in child.finishedRuns() { record(run, of: child, metrics: metrics) }
                exited = exited || child.outputEnded
                guard exited else { continue }
                running.remove(at: i)
                if let reason = child.failure() {
                    bar.finish()
                    stop(running + [child])
                    try writeIndex(now: true)
                    let run = child.unfinished.first ?? child.runs[0]
                    throw CommandFailure("sweep run \(run.name) failed: \(reason) (log: \(child.log))")
                }
                for run in child.finishRest() { record(run, of: child) }
            }
            try writeIndex(now: false)
        }
        bar.finish()
        index.seconds = Date().timeIntervalSince(started)
        try writeWholeIndex(&index)
        writePack()
        return index
    }

    /// Writes the index with every complete run of the whole sweep, also those other shards
    /// trained. No lock: after writing, it looks again and writes again while checkpoints have
    /// appeared in between, so whichever shard finishes last leaves the complete index.
    private func writeWholeIndex(_ index: inout SweepIndex) throws {
        var looked = Set(index.runs.map(\.name))   // runs whose checkpoint was already considered
        func appeared() -> [Run] {
            sweep.filter { !looked.contains($0.name) && FileManager.default.fileExists(atPath: checkpoint($0)) }
        }
        repeat {
            for run in appeared() {
                looked.insert(run.name)
                let (state, stored) = ExistingRun.read(checkpoint(run), requested: run.config)
                if state == .same { index.record(run, checkpoint: checkpoint(run), read: stored, seconds: nil) }
            }
            try index.write(to: "\(directory)/index.json")
        } while !appeared().isEmpty
    }

    /// Stacks the finished runs' weights into `DIR/sweep-pack.hdf5` (`nnprobe pack`), which
    /// `svd DIR` and `norms DIR` read instead of every checkpoint. The checkpoints are the record:
    /// a pack that cannot be written costs a warning, not the sweep. Packs hold MLPs: a sweep with
    /// conv nets is not packed.
    private func writePack() {
        guard runs.allSatisfy({ $0.config.model.arch == .mlp }) else { return }
        do {
            _ = try WeightPack.write(directory: directory, files: try CheckpointInputs.checkpoints(in: directory))
        } catch {
            printDiagnostic("nnprobe: warning: the sweep's checkpoints were not packed (\(error)); "
                            + "analyses read them one by one (`nnprobe pack \(directory)` retries)")
        }
    }

    /// Seconds between rewrites of the index while runs finish.
    private static let indexInterval: TimeInterval = 1

    /// How long runs asked to stop get before they are killed.
    private static let stopGrace: TimeInterval = 2

    /// Stops children still training (after another failed), and removes any checkpoint their
    /// unfinished runs had begun writing (`.NAME.h5.*.tmp`), so the sweep directory holds only
    /// finished runs. A process that has not ended `stopGrace` seconds after SIGTERM (which a
    /// signal mask inherited from whoever started nnprobe may block) is killed.
    private func stop(_ children: [SweepProcess]) {
        for child in children {
            child.endInput()
            if child.process.isRunning { child.process.terminate() }
        }
        let deadline = Date().addingTimeInterval(Self.stopGrace)
        for child in children {
            while child.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
            child.process.waitUntilExit()
            removeUnfinishedFiles(of: child.unfinished)
        }
    }

    /// Removes the temporary files (`.NAME.h5.*.tmp`) runs write their checkpoints through.
    private func removeUnfinishedFiles(of runs: [Run]) {
        guard !runs.isEmpty else { return }
        let prefixes = Set(runs.map { ".\($0.name).h5." })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(".") && name.hasSuffix(".tmp") && prefixes.contains(where: { name.hasPrefix($0) }) {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    /// Writes `DIR/configs/NAME.json`, the settings its child reads (not flushed to disk: the
    /// sweep writes it again whenever it runs).
    private func writeConfig(_ run: Run) throws {
        try writeAtomically(try JSONOutput.encode(run.config), to: files.config(run.name), durable: false)
    }
}

/// `DIR/index.json` of a sweep (schema `nnprobe.sweep/2`; indexes of `nnprobe.sweep/1`, whose
/// parameters were all text, read the same).
struct SweepIndex: Codable {
    struct Entry: Codable {
        let name: String
        /// The checkpoint's file name in the sweep directory (relative, so the directory can move;
        /// indexes written before stored the path as typed — `checkpoint(in:)` reads both).
        let checkpoint: String
        /// Swept flag → value: numbers as numbers (see `SweepParameters`).
        let parameters: SweepParameters
        let status: String
        let seed: Int64
        let epochs: Int
        let stepsPerEpoch: Int
        let finalTrainLoss, finalValLoss, finalValAccuracy, testLoss, testAccuracy: Double
        let seconds: Double
        /// Validation loss after the first epoch (how far training moved: compare with final_val_loss).
        let firstValLoss: Double
        /// Mean share of dead hidden units on the validation set.
        let deadUnits: Double

        enum CodingKeys: String, CodingKey {
            case name, checkpoint, parameters, status, seed, epochs, seconds
            case firstValLoss = "first_val_loss", deadUnits = "dead_units"
            case stepsPerEpoch = "steps_per_epoch", finalTrainLoss = "final_train_loss", finalValLoss = "final_val_loss"
            case finalValAccuracy = "final_val_accuracy", testLoss = "test_loss", testAccuracy = "test_accuracy"
        }
    }

    var schema = "nnprobe.sweep/2"
    let task: String
    let axes: [String]
    var runs: [Entry] = []
    var seconds: Double?

    init(task: String, axes: [String]) {
        self.task = task
        self.axes = axes
    }

    /// Adds (or replaces) a run's entry from the figures its child sent, or when none came, from
    /// its checkpoint at `path` (in the sweep directory).
    mutating func record(_ run: SweepRunner.Run, checkpoint path: String, sent metrics: RunMetrics?, seconds: Double?) {
        record(run, checkpoint: path, metrics: metrics ?? RunMetrics(try? Checkpoint.read(from: path, training: true, convNets: true)), seconds: seconds)
    }

    /// Adds (or replaces) a run's entry from its checkpoint at `path`, already read (nil: unreadable).
    mutating func record(_ run: SweepRunner.Run, checkpoint path: String, read checkpoint: Checkpoint?, seconds: Double?) {
        record(run, checkpoint: path, metrics: RunMetrics(checkpoint), seconds: seconds)
    }

    /// Adds (or replaces) a run's entry from its checkpoint's figures; `seconds` where the
    /// checkpoint stores no training time.
    private mutating func record(_ run: SweepRunner.Run, checkpoint path: String, metrics: RunMetrics, seconds: Double?) {
        let entry = Entry(name: run.name, checkpoint: URL(fileURLWithPath: path).lastPathComponent, parameters: SweepParameters(run.labels),
                          seed: Int64(run.config.seed), metrics: metrics, seconds: seconds)
        runs.removeAll { $0.name == run.name }
        // In natural order of names: after every entry whose name sorts before or with this one.
        let key = NaturalSortKey(run.name)
        var (low, high) = (0, runs.count)
        while low < high {
            let middle = (low + high) / 2
            if key < NaturalSortKey(runs[middle].name) { high = middle } else { low = middle + 1 }
        }
        runs.insert(entry, at: low)
    }

    func write(to path: String) throws {
        try writeAtomically(try JSONOutput.encode(self), to: path)
    }
}

extension SweepIndex.Entry {
    /// An entry of a run's figures; `seconds` where they hold no training time.
    init(name: String, checkpoint: String, parameters: SweepParameters, seed: Int64, metrics m: RunMetrics, seconds: Double?) {
        self.init(name: name, checkpoint: checkpoint, parameters: parameters, status: m.status, seed: seed, epochs: m.epochs,
                  stepsPerEpoch: m.stepsPerEpoch, finalTrainLoss: m.finalTrainLoss, finalValLoss: m.finalValLoss,
                  finalValAccuracy: m.finalValAccuracy, testLoss: m.testLoss, testAccuracy: m.testAccuracy,
                  seconds: m.seconds ?? seconds ?? .nan, firstValLoss: m.firstValLoss, deadUnits: m.deadUnits)
    }

    /// Reads an entry back: the run's name, file, parameters and seed, and its figures as
    /// `RunMetrics` reads them (the same keys; a `null` reads as NaN).
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), checkpoint: try c.decode(String.self, forKey: .checkpoint),
                  parameters: try c.decode(SweepParameters.self, forKey: .parameters), seed: try c.decode(Int64.self, forKey: .seed),
                  metrics: try RunMetrics(from: decoder), seconds: nil)
    }
}


extension SweepIndex.Entry {
    /// The path of this run's checkpoint for a sweep now in `directory`: the stored file name
    /// there; for an older index's path as typed at training time, that path while it exists,
    /// else its file name in `directory` (a sweep copied off a cluster still reads).
    func checkpoint(in directory: String) -> String {
        let local = URL(fileURLWithPath: directory).appendingPathComponent(URL(fileURLWithPath: checkpoint).lastPathComponent).path
        guard checkpoint.contains("/") else { return local }
        return FileManager.default.fileExists(atPath: checkpoint) ? checkpoint : local
    }
}
