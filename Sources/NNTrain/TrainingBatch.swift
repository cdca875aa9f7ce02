import NNTasks

/// Trains several runs in one process, one after another: a sweep's `train-group` child
/// (issue 18), which pays process start-up, argument parsing and library loading once per batch
/// instead of once per run. Each result is `Trainer(config:).run()`'s, so it is bit-identical to
/// the run trained alone.
///
/// Why a loop and not one stacked computation per step: an engine that kept eight models in SIMD
/// lanes (stacked weights, optimiser state and batches) was built and measured on 100 seeds of
/// 4-16-2: 1.66–1.84 s of CPU against 1.73–1.87 s for this loop (stacks of 16, 32 and 64 were
/// slower still, their data no longer in cache), while a run trained alone on its one-lane
/// kernels took 2× as long. Per-model work outside the products (data, loss, evaluation) is more
/// than half of a small run, so stacking cannot win much there; the loop is kept.
public enum TrainingBatch {
    /// Trains every config in order; `finished(i, result)` is called as run i ends, before run
    /// i + 1 starts, so the caller can save it and let it go (memory stays one run's).
    /// Image files are decoded once for the whole batch (`ImageFileCache`).
    public static func run(_ configs: [TrainingConfig], finished: (Int, TrainingResult) throws -> Void) throws {
        let files = ImageFileCache()
        for (i, config) in configs.enumerated() {
            try finished(i, try Trainer(config: config, files: files).run())
        }
    }
}
