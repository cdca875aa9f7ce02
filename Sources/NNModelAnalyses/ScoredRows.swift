import Foundation
import NNModel
import NNTasks

/// Rows a causal analysis runs and scores, in Float64: inputs and their regression targets or
/// class labels.
public struct ScoredRows: Sendable {
    /// N × d, row-major (NCHW rows for images).
    public let inputs: [Double]
    public let inputWidth: Int
    /// N × o, for regression.
    public let targets: [Double]?
    /// N, for classification.
    public let labels: [Int]?

    public init(inputs: [Double], inputWidth: Int, targets: [Double]? = nil, labels: [Int]? = nil) {
        precondition(inputWidth > 0 && inputs.count % inputWidth == 0, "inputs do not fill rows of \(inputWidth)")
        self.inputs = inputs
        self.inputWidth = inputWidth
        self.targets = targets
        self.labels = labels
    }

    /// The rows of a data split.
    public init(_ data: Dataset) {
        self.init(inputs: data.inputs.map(Double.init), inputWidth: data.inputWidth, targets: data.targets?.map(Double.init),
                  labels: data.labels?.map(Int.init))
    }

    public var count: Int { inputs.count / inputWidth }

    /// The inputs of rows `range`.
    func inputs(_ range: Range<Int>) -> [Double] { Array(inputs[(range.lowerBound * inputWidth)..<(range.upperBound * inputWidth)]) }
}

/// A task's name and the outputs it owns: a sub-task (`task0`: output 0), or one output
/// (`output_3`) when the task has no sub-tasks — the read-outs `ortho` compares.
public struct TaskOutputs: Equatable, Sendable {
    public let name: String
    public let outputs: [Int]

    public init(name: String, outputs: [Int]) {
        self.name = name
        self.outputs = outputs
    }

    /// The sub-tasks of `task`, or one task per output when it has none.
    public static func of(_ task: TaskDefinition) -> [TaskOutputs] {
        task.subtasks.isEmpty
            ? (0..<task.outputWidth).map { TaskOutputs(name: "output_\($0)", outputs: [$0]) }
            : task.subtasks.map { TaskOutputs(name: $0.name, outputs: $0.outputs) }
    }
}

/// Each task's loss over rows, added up block by block.
///
/// MSE: task t's loss is Σ_rows Σ_{o∈t} (ŷ_o − y_o)² / (N·|t|), the mean squared error of its
/// outputs. Cross-entropy: the mean of −log softmax(ŷ)_y over the rows whose label is one of
/// the task's outputs (for `output_k`: the rows of class k), the softmax taken over every output.
struct TaskLossAccumulator {
    let tasks: [TaskOutputs]
    let loss: LossFunction
    let outputWidth: Int
    private var sums: [Double]
    private var counts: [Int]

    init(tasks: [TaskOutputs], loss: LossFunction, outputWidth: Int) {
        self.tasks = tasks
        self.loss = loss
        self.outputWidth = outputWidth
        sums = Array(repeating: 0, count: tasks.count)
        counts = Array(repeating: 0, count: tasks.count)
    }

    /// Adds rows `first..<first + outputs.count / o` of `rows`, whose outputs are `outputs` (rows × o).
    mutating func add(_ outputs: [Double], rows: ScoredRows, first: Int) {
        let o = outputWidth, n = outputs.count / o
        switch loss {
        case .mse:
            let targets = rows.targets!
            for (t, task) in tasks.enumerated() {
                for r in 0..<n {
                    for k in task.outputs {
                        let difference = outputs[r * o + k] - targets[(first + r) * o + k]
                        sums[t] += difference * difference
                    }
                }
                counts[t] += n * task.outputs.count
            }
        case .crossEntropy:
            let labels = rows.labels!
            for r in 0..<n {
                let label = labels[first + r]
                guard let t = tasks.firstIndex(where: { $0.outputs.contains(label) }) else { continue }
                let row = outputs[(r * o)..<((r + 1) * o)]
                let largest = row.max()!
                let logSumExp = largest + log(row.reduce(0) { $0 + exp($1 - largest) })
                sums[t] += logSumExp - row[r * o + label]
                counts[t] += 1
            }
        }
    }

    /// Each task's loss (NaN for a task without rows).
    var losses: [Double] { zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : .nan } }
}
