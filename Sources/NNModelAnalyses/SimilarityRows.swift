import NNCheckpoint
import NNLinalg
import NNTasks

/// The inputs every representation is compared on, taken from one file: a checkpoint's test split
/// or one sub-task's probe grid (rebuilt from its stored config and seed), or an activation dump's
/// own inputs. Checkpoints are run on these rows; dumps must hold exactly these rows in this order.
public struct SimilarityRows: Sendable {
    /// How the rows were chosen.
    public enum Kind: String, Sendable, Codable {
        /// The rows of a data split.
        case split
        /// One sub-task's inputs on a grid, the others held at a few contexts.
        case vary
    }

    /// The file the rows come from.
    public let file: String
    public let kind: Kind
    /// For `split`: the split's name (`test`, …).
    public let split: String?
    /// For `vary`: the varied sub-task, grid points per input and held contexts.
    public let variedTask: String?
    public let gridSize: Int?
    public let contexts: Int?
    /// The rows, N × d.
    public let inputs: Matrix<Float>

    /// The rows of `checkpoint` (read from `file`): its test split (`vary` = all) or the probe grid
    /// of sub-task `vary` with `gridSize` points per input and `contexts` held contexts, seeded as
    /// the run was. Throws `AnalysisError` for an unknown sub-task.
    public init(_ checkpoint: Checkpoint, task context: CheckpointTask, vary: VariedInputs, gridSize: Int, contexts: Int,
                file: String) throws(AnalysisError) {
        self.file = file
        guard let name = vary.subtaskName else {
            let test = context.splits.test
            (kind, split, variedTask, self.gridSize, self.contexts) = (.split, Split.test.rawValue, nil, nil, nil)
            inputs = Matrix(rows: test.inputs.count / max(1, test.inputWidth), cols: test.inputWidth, storage: test.inputs)
            return
        }
        let probe = ProbeGrid(task: context.task, subtask: try context.subtask(named: name), gridSize: gridSize,
                              contexts: contexts, seed: context.seed)
        (kind, split, variedTask, self.gridSize, self.contexts) = (.vary, nil, name, gridSize, contexts)
        inputs = Matrix(rows: probe.count, cols: probe.inputWidth, storage: probe.inputs)
    }

    /// The inputs of the dump `reader` reads.
    public init(_ reader: ActivationDumpReader) throws {
        file = reader.path
        let probe = reader.probe
        let varies = probe.kind == .vary
        kind = varies ? .vary : .split
        split = varies ? nil : probe.dataset
        variedTask = varies ? probe.variedTask : nil
        gridSize = varies ? probe.gridSize : nil
        contexts = varies ? probe.contexts.rows : nil
        inputs = try reader.inputs()
    }

    /// Throws `AnalysisError.rowsDiffer` unless `other` holds exactly these rows (bit for bit) in this order.
    public func requireSame(_ other: Matrix<Float>) throws(AnalysisError) {
        guard other.cols == inputs.cols else {
            throw .rowsDiffer(reference: file, reason: "\(other.cols) inputs per row, not \(inputs.cols)")
        }
        guard other.rows == inputs.rows else {
            throw .rowsDiffer(reference: file, reason: "\(other.rows) rows, not \(inputs.rows)")
        }
        if let first = inputs.storage.indices.first(where: { other.storage[$0].bitPattern != inputs.storage[$0].bitPattern }) {
            throw .rowsDiffer(reference: file, reason: "row \(first / max(1, inputs.cols)) of \(inputs.rows) differs")
        }
    }
}
