import NNCheckpoint
import NNLinalg
import NNModel

/// The representations a probe reads from a checkpoint's model: an MLP's trunk layers
/// (`layer_0`, …) or a layer stack's blocks (`block0`, …), whose image-shaped outputs are
/// averaged over positions per channel (what global average pooling gives), one row per example.
struct ProbedLayers {
    /// The probed representations' names, by index.
    let names: [String]
    /// Every layer of a layer stack (`block2.main.0`, `head0.1`): names a probe knows but does not read.
    let innerLayers: [String]
    /// A layer stack's stage and torchvision names (nil for an MLP).
    private let naming: LayerNames?
    private let network: LayerNetwork<Float>

    /// Throws `AnalysisError.modelUnsupported` when a stored conv net's weights do not fit its layers.
    init(_ checkpoint: Checkpoint) throws(AnalysisError) {
        guard let model = checkpoint.layers else {
            network = LayerNetwork<Float>(checkpoint.model)
            names = checkpoint.model.layers.indices.map { "layer_\($0)" }
            innerLayers = []
            naming = nil
            return
        }
        do { network = try LayerNetwork<Float>(model) } catch { throw .modelUnsupported(reason: String(describing: error)) }
        names = model.stack.blocks.indices.map { "block\($0)" }
        innerLayers = ((try? model.stack.layers().get()) ?? []).map(\.name)
        naming = LayerNames(model.stack)
    }

    /// The representations `address` names, by index (nil: the raw inputs): all of them (nil),
    /// one by index or name, or the inputs (`input`). A stage's name (`stage2`, torchvision's
    /// `layer2`) means its last block, the stage's output, as in `pca`; torchvision's `layer2.0`
    /// that block. Throws `AnalysisError` for an index out of range, a layer inside a block
    /// (whose activations are not kept), or a name the model does not have (listing the valid ones).
    func select(_ address: LayerAddress?) throws(AnalysisError) -> [Int?] {
        switch address {
        case nil: return names.indices.map { $0 }
        case .index(let i):
            guard names.indices.contains(i) else { throw .activationLayerOutOfRange(i, count: names.count) }
            return [i]
        case .name(let name):
            if name == LinearProbes.inputName || name == "inputs" { return [nil] }
            let own = names.contains(name) ? name : naming?.canonical(name)?.last ?? name
            if let i = names.firstIndex(of: own) { return [i] }
            let valid = names + (naming?.stageNames ?? []) + [LinearProbes.inputName]
            if innerLayers.contains(where: { $0 == own || $0.hasPrefix(own + ".") }) { throw .noStoredActivations(name, probed: valid) }
            throw .unknownLayerName(name, valid: valid)
        }
    }

    /// Each of `layers`' features on `inputs` (rows × width; an empty matrix for the raw inputs,
    /// which the caller has), before the nonlinearity with `pre`.
    func activations(_ inputs: [Float], pre: Bool, layers: [Int?]) -> [Matrix<Float>] {
        guard layers.contains(where: { $0 != nil }) else { return layers.map { _ in Matrix(rows: 0, cols: 0) } }
        let rows = inputs.count / max(1, network.buffers[0].count)
        if network.stack.mlpShape != nil {
            let acts = network.collectActivations(inputs: inputs)
            return layers.map { layer in
                guard let i = layer else { return Matrix(rows: 0, cols: 0) }
                let values = pre ? acts.pre[i] : acts.post[i]
                return Matrix(rows: rows, cols: values.count / max(1, rows), storage: values)
            }
        }
        let blocks = DumpBuilder.collectBlocks(network, inputs: inputs, mapRows: 0).layers
        return layers.map { layer in layer.map { blocks[$0].features(pre: pre) } ?? Matrix(rows: 0, cols: 0) }
    }
}
