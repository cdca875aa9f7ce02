import NNTrain

/// How a sweep's pending runs are shared out over child processes (issue 18): runs that can
/// train together (`StackedTraining.compatible`: same shapes and data) go to the same
/// `train-group` process, so process start-up, argument parsing and the engine's per-step
/// overhead are paid once per batch instead of once per run; each group is cut into batches of
/// about equal size, `batchesPerJob` per job, so that every job has work until near the end.
/// A run that starts from other models (--init-from, --teacher) trains alone, as `train` does.
enum SweepBatches {
    /// Batches per job: one would leave cores idle when batches end at different times (a run
    /// that diverges stops early; the machine is shared); more cost start-ups and smaller stacks.
    static let batchesPerJob = 2

    /// The runs in batches, in sweep order within each group, groups in the order first seen.
    static func plan(_ runs: [SweepRunner.Run], jobs: Int) -> [[SweepRunner.Run]] {
        var groups: [[SweepRunner.Run]] = []
        for run in runs {
            if !run.config.readsOtherModels,
               let g = groups.firstIndex(where: { !$0[0].config.readsOtherModels && StackedTraining.compatible($0[0].config, run.config) }) {
                groups[g].append(run)
            } else {
                groups.append([run])
            }
        }
        let size = max(1, (runs.count + jobs * batchesPerJob - 1) / (jobs * batchesPerJob))
        return groups.flatMap { group in
            let count = (group.count + size - 1) / size   // batches of this group, sizes differing by at most one
            return (0..<count).map { b in Array(group[(b * group.count / count)..<((b + 1) * group.count / count)]) }
        }
    }
}

extension TrainingConfig {
    /// Whether the run starts from other checkpoints (--init-from, --teacher), which only
    /// `train` reads: such a run is never stacked with others.
    var readsOtherModels: Bool { run.initFrom != nil || run.teacher != nil }
}
