import NNCheckpoint
import NNTasks

/// The task a checkpoint was trained on, rebuilt from its stored configuration: the same splits
/// (same seed), so analyses see the data it was trained and tested on.
public struct CheckpointTask: Sendable {
    /// The task definition (inputs, outputs, sub-tasks, input range).
    public let task: TaskDefinition
    /// The train, validation and test splits, as the run had them.
    public let splits: DataSplits
    /// The run's seed, which also seeds probe grids.
    public let seed: UInt64
    /// The classes the data keeps (an image task's class subset), nil for every class.
    public let classSubset: ClassSubset?

    /// Rebuilds the task of `checkpoint`; throws `AnalysisError` when its config is not an nnprobe
    /// training configuration, its data cannot be rebuilt, or the model does not fit the task.
    /// With `classSubset`, the data keeps those classes instead of the run's own (e.g. to probe a
    /// backbone trained on classes 0-4 on classes 5-9).
    public init(_ checkpoint: Checkpoint, classSubset: ClassSubset? = nil) throws(AnalysisError) {
        guard var config = StoredConfig.decode(checkpoint.config) else { throw .storedConfigUnreadable }
        if let classSubset { config.data.classSubset = classSubset }
        seed = config.seed
        self.classSubset = config.data.classSubset
        do {
            (task, splits) = try TaskRegistry.load(config.task, options: config.data, seed: config.seed)
        } catch let error as TaskError {
            throw .taskNotRebuildable(reason: error.description)
        } catch let error as SettingProblem {   // worded by its stored setting, not a flag
            throw .taskNotRebuildable(reason: error.description)
        } catch {
            throw .taskNotRebuildable(reason: String(describing: error))
        }
        let modelInputs = checkpoint.layers?.stack.input.count ?? checkpoint.model.inputWidth
        guard task.inputWidth == modelInputs else {
            throw .inputWidthMismatch(modelInputs: modelInputs, task: task.name, taskInputs: task.inputWidth)
        }
    }

    /// The sub-task called `name`; the error lists the task's sub-tasks.
    public func subtask(named name: String) throws(AnalysisError) -> SubTask {
        guard let found = task.subtasks.first(where: { $0.name == name }) else {
            throw .unknownSubtask(name, task: task.name, known: task.subtasks.map(\.name))
        }
        return found
    }

    /// Whether the task has a sub-task called `name`.
    public func hasSubtask(_ name: String) -> Bool { task.subtasks.contains { $0.name == name } }
}
