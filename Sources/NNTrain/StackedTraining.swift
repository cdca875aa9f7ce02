// STAND-IN (issue 18): the sweep runner's view of the stacked training engine, written so the
// runner and its tests can be built before the engine exists. `compatible` is the shape rule
// and `run` loops `Trainer` one model at a time. Replace this whole file with the stacked
// engine's (same API) at merge.

/// Trains several runs of one shape together: the models' weights stacked, one computation per
/// step for all of them.
public enum StackedTraining {
    /// Whether two runs can share one stacked computation (same shapes and data; differ only in
    /// seed, lr, wd, dropout rate, init, α/T …).
    public static func compatible(_ a: TrainingConfig, _ b: TrainingConfig) -> Bool {
        shape(of: a) == shape(of: b)
    }

    /// Trains every config; result i is bit-identical to `Trainer(config: configs[i]).run()`'s.
    /// `progress(i, result)` is called as each model finishes (may be all at the end).
    public static func run(_ configs: [TrainingConfig], progress: (Int, TrainingResult) -> Void) throws -> [TrainingResult] {
        try configs.enumerated().map { i, config in
            let result = try Trainer(config: config).run()
            progress(i, result)
            return result
        }
    }

    /// The settings that fix a run's shapes and data: everything but the per-model values.
    private static func shape(of config: TrainingConfig) -> TrainingConfig {
        var shape = config
        shape.seed = 0
        shape.optimization.lr = 0
        shape.optimization.weightDecay = 0
        shape.model.dropout = 0
        shape.model.initialization = .pytorch
        shape.run.temperature = 0
        shape.run.alpha = 0
        return shape
    }
}
