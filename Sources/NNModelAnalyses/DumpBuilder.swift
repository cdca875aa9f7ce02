import NNCheckpoint
import NNLinalg
import NNModel
import NNTasks

/// Builds activation dumps: a model run over a data split or over a sub-task's probe grid. An MLP
/// gives one entry per layer (format 1); any other layer stack one per block (format 2), whose
/// image-shaped blocks keep the feature maps of the first `mapRows` rows (DumpBuilder+Blocks.swift).
public enum DumpBuilder {
    /// Every trunk layer's activations on `data`, the rows of split `split`.
    public static func dataset(_ network: LayerNetwork<Float>, data: Dataset, split: Split, task: String, source: String,
                               mapRows: Int = defaultMapRows) -> ActivationDump {
        assemble(network, inputs: data.inputs, targets: data.targetRows, probe: .dataset(split.rawValue),
                 contextIndex: [], task: task, source: source, mapRows: mapRows)
    }

    /// Every trunk layer's activations while `grid`'s sub-task inputs sweep the grid.
    public static func vary(_ network: LayerNetwork<Float>, grid: ProbeGrid, task: TaskDefinition, targets: [Float], source: String,
                            mapRows: Int = defaultMapRows) -> ActivationDump {
        let probe = ActivationProbe(
            kind: .vary, variedTask: grid.subtask.name, variedInputs: grid.subtask.inputs, gridSize: grid.gridSize,
            contexts: Matrix(rows: grid.contexts.count / grid.inputWidth, cols: grid.inputWidth, storage: grid.contexts))
        return assemble(network, inputs: grid.inputs, targets: targets, probe: probe,
                        contextIndex: grid.contextIndex, task: task.name, source: source, mapRows: mapRows)
    }

    private static func assemble(_ network: LayerNetwork<Float>, inputs: [Float], targets: [Float], probe: ActivationProbe,
                                 contextIndex: [Int32], task: String, source: String, mapRows: Int) -> ActivationDump {
        let d = network.buffers[0].count
        let n = inputs.count / max(1, d)
        let outputs: [Float], layers: [LayerActivations]
        if network.stack.mlpShape != nil {
            let collected = network.collectActivations(inputs: inputs)
            outputs = collected.outputs
            layers = network.blockBuffers.enumerated().map { i, b in
                LayerActivations(post: Matrix(rows: n, cols: network.buffers[b.post].count, storage: collected.post[i]),
                                 pre: Matrix(rows: n, cols: network.buffers[b.pre].count, storage: collected.pre[i]))
            }
        } else {
            (outputs, layers) = collectBlocks(network, inputs: inputs, mapRows: mapRows)
        }
        let o = network.outputWidth
        return ActivationDump(
            sourceCheckpoint: source, task: task, probe: probe,
            inputs: Matrix(rows: n, cols: d, storage: inputs),
            targets: targets.count == n * o ? Matrix(rows: n, cols: o, storage: targets) : Matrix(rows: 0, cols: o),
            outputs: Matrix(rows: n, cols: o, storage: outputs), contextIndex: contextIndex, layers: layers)
    }
}
