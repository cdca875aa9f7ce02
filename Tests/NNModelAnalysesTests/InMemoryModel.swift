import NNCheckpoint
import NNLinalg
import NNModel
import NNModelAnalyses
import NNTasks

/// A small multi-mult model (4 inputs, hidden layers of 8 and 6, 2 outputs: three dense layers) and its checkpoint, built in
/// memory: untrained, but with seeded weights, so every activation is a known function of them.
enum InMemoryModel {
    static let model = Architecture(inputs: 4, hidden: [8, 6], outputs: 2).build(seed: 7)
    static let checkpoint = Checkpoint(task: "multi-mult", seed: 3, config: #"{"task":"multi-mult","seed":3}"#, model: model)

    /// Layer `layer`'s pre- and post-activations of one input row, computed straight from the
    /// weights (no batch norm or residual): W·x + b, then max(0, ·) where the layer is relu
    /// (its hidden layers; the output layer is the identity).
    static func activations(of row: [Float], throughLayer layer: Int) -> (pre: [Double], post: [Double]) {
        var x = row.map(Double.init)
        var pre: [Double] = []
        for l in 0...layer {
            let dense = model.layers[l]
            pre = (0..<dense.outputs).map { i in
                (0..<dense.inputs).reduce(Double(dense.bias[i])) { $0 + Double(dense.weight[i, $1]) * x[$1] }
            }
            x = dense.activation == .relu ? pre.map { max(0, $0) } : pre
        }
        return (pre, x)
    }
}

extension InMemoryModel {
    /// The model's dump of a probe grid over `subtask` (built in memory, source "memory").
    static func varyDump(_ subtask: String, gridSize: Int, contexts: Int) throws -> ActivationDump {
        let task = try CheckpointTask(checkpoint)
        let grid = ProbeGrid(task: task.task, subtask: try task.subtask(named: subtask), gridSize: gridSize, contexts: contexts, seed: task.seed)
        return DumpBuilder.vary(LayerNetwork<Float>(checkpoint.model), grid: grid, task: task.task,
                                targets: grid.targets(for: task.task), source: "memory")
    }
}

/// `|a − b| ≤ tolerance · max(1, |b|)`.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}
