import NNTasks

/// Trains runs one after another in one process: a sweep's `train-group` child (issue 18), which
/// pays process start-up, argument parsing and library loading once instead of once per run.
/// Each result is `Trainer(config:).run()`'s, so it is bit-identical to the run trained alone;
/// image files are decoded once for all the runs (`ImageFileCache`).
///
/// Why a loop and not one stacked computation per step: an engine that kept eight models in SIMD
/// lanes (stacked weights, optimiser state and batches) was built and measured on 100 seeds of
/// 4-16-2: 1.66–1.84 s of CPU against 1.73–1.87 s for this loop (stacks of 16, 32 and 64 were
/// slower still, their data no longer in cache), while a run trained alone on its one-lane
/// kernels took 2× as long. Per-model work outside the products (data, loss, evaluation) is more
/// than half of a small run, so stacking cannot win much there; the loop is kept.
public struct TrainingBatch {
    private let files = ImageFileCache()

    public init() {}

    /// Trains one run; the caller saves the result and lets it go (memory stays one run's).
    public func train(_ config: TrainingConfig) throws -> TrainingResult {
        try Trainer(config: config, files: files).run()
    }
}
