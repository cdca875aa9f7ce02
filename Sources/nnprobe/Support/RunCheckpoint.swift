import NNCheckpoint
import NNTrain

/// A run's checkpoint as `train --save` writes it: one construction for `train` and for the
/// sweep's `train-group` children, so a run's file is the same bytes whichever wrote it.
extension Checkpoint {
    /// The settings as checkpoints store them: compact JSON, keys sorted (a stored run is
    /// compared with the requested settings through it).
    static func storedConfig(_ settings: TrainingConfig) throws -> String {
        try JSONOutput.encode(settings, pretty: false)
    }

    /// The checkpoint of the finished run `result` of `settings` (`configJSON`: `storedConfig(settings)`).
    init(run settings: TrainingConfig, configJSON: String, result: TrainingResult) {
        self.init(task: settings.task, seed: Int64(bitPattern: settings.seed), config: configJSON, status: result.status,
                  model: result.model, history: result.history, gradients: result.gradients, deadUnits: result.deadUnits)
    }
}
