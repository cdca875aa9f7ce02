import NNTrain

/// How a sweep's pending runs are shared out over child processes (issue 18): runs go in sweep
/// order to `train-group` processes (`TrainingBatch`), so process start-up and argument parsing
/// are paid once per batch instead of once per run; the runs are cut into batches of about equal
/// size, `batchesPerJob` per job, so that every job has work until near the end (but two runs
/// a batch at least, when there are two for every job). A run that
/// starts from other models (--init-from, --teacher) trains alone, as `train` does.
enum SweepBatches {
    /// Batches per job: one would leave cores idle when batches end at different times (a run
    /// that diverges stops early; the machine is shared); more cost start-ups.
    static let batchesPerJob = 2

    /// The runs in batches: those that read other models one per batch, in sweep order, then
    /// the others in sweep order.
    static func plan(_ runs: [SweepRunner.Run], jobs: Int) -> [[SweepRunner.Run]] {
        let alone = runs.filter(\.config.readsOtherModels).map { [$0] }
        let together = runs.filter { !$0.config.readsOtherModels }
        let groups = alone + (together.isEmpty ? [] : [together])
        // Two runs a batch at least once every job can have two: a batch decodes its image files
        // once (`ImageFileCache`), so four Fashion-MNIST runs on two jobs decode twice, not four times.
        let size = max(runs.count >= 2 * jobs ? 2 : 1, (runs.count + jobs * batchesPerJob - 1) / (jobs * batchesPerJob))
        return groups.flatMap { group in
            let count = (group.count + size - 1) / size   // batches of this group, sizes differing by at most one
            return (0..<count).map { b in Array(group[(b * group.count / count)..<((b + 1) * group.count / count)]) }
        }
    }
}

extension TrainingConfig {
    /// Whether the run starts from other checkpoints (--init-from, --teacher), which only
    /// `train` reads: such a run trains in a process of its own.
    var readsOtherModels: Bool { run.initFrom != nil || run.teacher != nil }
}
