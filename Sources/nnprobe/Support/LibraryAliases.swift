import NNCheckpoint
import NNModel
import NNModelAnalyses
import NNTasks

// Names of NNModelAnalyses that Ortho.swift uses without importing it (their
// owners are reworking them): these keep them compiling unchanged. Remove each once its file
// imports NNModelAnalyses.

typealias CheckpointTask = NNModelAnalyses.CheckpointTask

/// Standard deviation (n − 1) of every column of a row-major N × width buffer (`NNModelAnalyses.columnStd`).
func columnStd(_ values: [Float], width: Int) -> [Double] {
    NNModelAnalyses.columnStd(values, width: width)
}

extension CheckpointTask {
    /// The task of `checkpoint`, read from `file`; a problem is the one-line failure `FILE: problem`.
    init(_ checkpoint: Checkpoint, file: String) throws {
        self = try AnalysisFlags.naming(file) { try CheckpointTask(checkpoint) }
    }
}
