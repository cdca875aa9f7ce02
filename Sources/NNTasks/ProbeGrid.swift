import NNModel

/// Inputs that sweep one sub-task's inputs over a grid while every other input is held at a
/// few fixed contexts: the reference study's "vary one task, watch the activations".
public struct ProbeGrid: Sendable {
    /// The sub-task whose inputs vary.
    public let subtask: SubTask
    /// Points per varied input.
    public let gridSize: Int
    /// The held contexts, one full input row each (C × d, row-major).
    public let contexts: [Float]
    /// Every probe input (N × d, row-major), context-major: all grid points of context 0 first.
    public let inputs: [Float]
    /// The context of each row.
    public let contextIndex: [Int32]
    public let inputWidth: Int

    /// Builds the grid for `subtask` of `task`: `gridSize` evenly spaced values over the task's
    /// input range per varied input, `contexts` held contexts drawn from the probe stream of `seed`.
    public init(task: TaskDefinition, subtask: SubTask, gridSize: Int, contexts: Int, seed: UInt64) {
        precondition(gridSize >= 2 && contexts >= 1)
        self.subtask = subtask
        self.gridSize = gridSize
        inputWidth = task.inputWidth
        var rng = RandomSource.stream(.probe, seed: seed)
        let range = task.inputRange
        var held: [Float] = []
        for _ in 0..<contexts { held += (0..<task.inputWidth).map { _ in Float(rng.uniform(range.lowerBound, range.upperBound)) } }
        let values = (0..<gridSize).map { Float(range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(gridSize - 1)) }
        var points = 1
        for _ in subtask.inputs { points *= gridSize }
        var inputs: [Float] = [], index: [Int32] = []
        inputs.reserveCapacity(contexts * points * task.inputWidth)
        for c in 0..<contexts {
            for p in 0..<points {
                var row = Array(held[(c * task.inputWidth)..<((c + 1) * task.inputWidth)])
                var rest = p
                for input in subtask.inputs.reversed() {   // last varied input changes fastest
                    row[input] = values[rest % gridSize]
                    rest /= gridSize
                }
                inputs += row
                index.append(Int32(c))
            }
        }
        self.contexts = held
        self.inputs = inputs
        self.contextIndex = index
    }

    /// Number of probe rows.
    public var count: Int { contextIndex.count }

    /// Noise-free targets of every probe row (N × o), or empty when the task has no formula.
    public func targets(for task: TaskDefinition) -> [Float] {
        guard let f = task.targetFunction else { return [] }
        return (0..<count).flatMap { r in f(Array(inputs[(r * inputWidth)..<((r + 1) * inputWidth)])) }
    }
}
