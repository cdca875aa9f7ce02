import NNTrain

/// The runs a sweep has still to start, in the order it starts them (issue 18). Runs that start
/// from other models (--init-from, --teacher) come first, each in a `train` process of its own,
/// as `train` is what reads those models; then the others, in sweep order, each handed to
/// whichever `train-group` child process is free (`SweepProcess`), so that process start-up,
/// argument parsing and library loading are paid once per core rather than once per run, and
/// no core waits while another has runs queued.
struct SweepQueue {
    private var alone: ArraySlice<SweepRunner.Run>
    private var together: ArraySlice<SweepRunner.Run>

    init(_ runs: [SweepRunner.Run]) {
        alone = ArraySlice(runs.filter(\.config.readsOtherModels))
        together = ArraySlice(runs.filter { !$0.config.readsOtherModels })
    }

    var isEmpty: Bool { alone.isEmpty && together.isEmpty }

    /// The next run to start in a new process: one that trains alone while any is left.
    mutating func next() -> SweepRunner.Run? { alone.popFirst() ?? together.popFirst() }

    /// The next run a `train-group` child can take.
    mutating func nextTogether() -> SweepRunner.Run? { together.popFirst() }
}

extension TrainingConfig {
    /// Whether the run starts from other checkpoints (--init-from, --teacher), which only
    /// `train` reads: such a run trains in a process of its own.
    var readsOtherModels: Bool { run.initFrom != nil || run.teacher != nil }
}
