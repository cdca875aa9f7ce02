import NNCheckpoint
import NNModel

extension GradientFlow {
    /// The records of the tensors of the layers `address` names in `checkpoint`'s model (as
    /// `ModelWeights.select` names them: `layer_1`, `block2.main.0`, `block2`, `stage2`,
    /// `layer2.0.conv1`, or a trunk layer's index) — every tensor of a layer: weight, bias, γ, β.
    /// All of them for nil. Throws `AnalysisError` for a layer the model does not have.
    public func only(_ address: LayerAddress?, of checkpoint: Checkpoint) throws -> GradientFlow {
        guard let address else { return self }
        let weights = try checkpoint.layers.map(ModelWeights.init) ?? ModelWeights(checkpoint.model)
        var layers = try weights.select(address).map(\.name)
        if case .name(let name) = address, let stack = checkpoint.layers?.stack {
            // A name may also take in layers without a weight matrix (a block's batch norms).
            let owners = records.map { String($0.name.split(separator: ".").dropLast().joined(separator: ".")) }
            layers += (try? LayerNames.select(name, among: owners, stack: stack)) ?? []
        }
        var selected = self
        selected.records = records.filter { record in layers.contains { record.name.hasPrefix($0 + ".") } }
        return selected
    }
}
