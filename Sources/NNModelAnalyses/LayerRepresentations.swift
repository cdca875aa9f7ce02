import NNCheckpoint
import NNLinalg
import NNModel

/// Every trunk layer's activations of one model on the rows compared (`SimilarityRows`), from a
/// checkpoint run now or read from an activation dump: the inputs of `RepresentationSimilarity`.
public struct LayerRepresentations: Sendable {
    /// Per trunk layer, in forward order: N × width (post-activations, or pre- when asked).
    public let layers: [Matrix<Float>]

    /// `checkpoint`'s activations on `rows` (evaluation mode). Throws `AnalysisError` when the model
    /// does not take the rows' inputs, or an activation is NaN or ±∞.
    public init(_ checkpoint: Checkpoint, on rows: SimilarityRows, preActivations: Bool) throws(AnalysisError) {
        let model = checkpoint.model
        guard model.inputWidth == rows.inputs.cols else {
            throw .rowWidthMismatch(reference: rows.file, rowWidth: rows.inputs.cols, modelInputs: model.inputWidth)
        }
        let acts = LayerNetwork<Float>(model).collectActivations(inputs: rows.inputs.storage)
        layers = model.layers.indices.map { i in
            Matrix(rows: rows.inputs.rows, cols: model.layers[i].outputs, storage: preActivations ? acts.pre[i] : acts.post[i])
        }
        try Self.requireFinite(layers)
    }

    /// The dump's activations, after checking that its inputs are `rows` in the same order
    /// (`AnalysisError.rowsDiffer` otherwise, naming the file the rows came from).
    public init(_ reader: ActivationDumpReader, matching rows: SimilarityRows, preActivations: Bool) throws {
        try rows.requireSame(try reader.inputs())
        layers = try (0..<reader.layerCount).map { try reader.layerRows($0, rows: 0..<reader.rowCount, pre: preActivations) }
        try Self.requireFinite(layers)
    }

    private static func requireFinite(_ layers: [Matrix<Float>]) throws(AnalysisError) {
        if let bad = layers.firstIndex(where: { !$0.storage.allSatisfy(\.isFinite) }) { throw .nonFiniteActivations(layer: bad) }
    }
}
