import NNAnalysis
import NNCheckpoint
import NNModel

/// The task read-outs of a checkpoint: the geometry (`ReadoutGeometry`) of each head of a
/// multi-head model, or of the output layer over the last hidden layer, with every hidden unit's
/// spread measured on the task's test split.
public struct ReadoutAnalysis: Sendable {
    /// One read-out: where it sits, the layer it reads, and its geometry.
    public struct Readout: Sendable {
        /// `head_1` or `layer_2` (a conv net's: `head1.1`, `block3.main.1`).
        public let source: String
        /// `layer_0`, … (a conv net's: the block whose output it reads, `block2`).
        public let readsLayer: String
        public let geometry: ReadoutGeometry
        /// A conv net's: what the read-out's inputs are, e.g. `8 pooled channels of block2 (stage2)`; nil for MLPs.
        public var features: String? = nil
    }

    public let readouts: [Readout]
    /// Said of the read-outs as a whole, e.g. that heads read different spaces, so no angle is
    /// taken between them; nil when there is nothing to say.
    public var note: String? = nil

    /// The read-outs of `checkpoint` on its rebuilt `task`; a unit is mono-functional when one
    /// task holds at least `threshold` of its attribution. A conv net's: see `init(_: LayerModel, …)`.
    public init(_ checkpoint: Checkpoint, task context: CheckpointTask, threshold: Double) throws {
        if let layers = checkpoint.layers {
            self = try ReadoutAnalysis(layers, task: context, threshold: threshold)
            return
        }
        let model = checkpoint.model
        guard model.isMultiHead || model.layers.count >= 2 else { throw AnalysisError.readoutNeedsHiddenLayer }
        let tasks: [(name: String, outputs: [Int])] = context.task.subtasks.isEmpty
            ? (0..<model.outputWidth).map { ("output_\($0)", [$0]) }
            : context.task.subtasks.map { ($0.name, $0.outputs) }
        let activations = LayerNetwork<Float>(model).collectActivations(inputs: context.splits.test.inputs)
        func std(ofLayer index: Int) -> [Double] { columnStd(activations.post[index], width: model.layers[index].outputs) }
        if model.isMultiHead {
            readouts = model.heads.enumerated().map { k, head in
                Readout(source: "head_\(k)", readsLayer: "layer_\(head.sourceLayer)",
                        geometry: ReadoutGeometry(weight: head.weight.converted(), tasks: tasks,
                                                  unitStd: std(ofLayer: head.sourceLayer), monoThreshold: threshold))
            }
        } else {
            let last = model.layers.count - 1
            readouts = [Readout(source: "layer_\(last)", readsLayer: "layer_\(last - 1)",
                                geometry: ReadoutGeometry(weight: model.layers[last].weight.converted(), tasks: tasks,
                                                          unitStd: std(ofLayer: last - 1), monoThreshold: threshold))]
        }
    }
}
