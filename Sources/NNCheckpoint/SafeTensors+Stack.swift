import NNModel

/// A `LayerStack` filled from a PyTorch state dict: the common step of every conv import
/// (`resNet`, `sequential`).
extension SafeTensors {
    /// The model of `stack` with its values from `tensors`: the layer at each engine place
    /// (`block1.main.0`) reads the module `modules[place]` names (`layer1.0.conv1`) — its `weight`
    /// and `bias`, and batch norm's `running_mean` and `running_var` — at the shape the stack
    /// needs. A tensor missing or of another shape, or one no layer reads (`num_batches_tracked`
    /// aside), is refused in one line naming it; `unread` says why such a tensor has no place.
    static func model(_ stack: LayerStack, modules: [String: String], from tensors: [SafeTensor], file: String,
                      unread: (String) -> String) throws -> LayerModel {
        if let problem = stack.sizeProblem { throw FileFormatError(file: file, "the model is too large to build: \(problem)") }
        if case .failure(let error) = stack.layers() {
            throw FileFormatError(file: file, "the layers do not fit the input \(stack.input): \(error) (check --input-shape)")
        }
        let network = try LayerNetwork<Float>(stack, seed: 0)
        var byName: [String: SafeTensor] = [:]
        for t in tensors where byName[t.name] == nil { byName[t.name] = t }
        var read: Set<String> = []
        func take(_ name: String, _ shape: [Int], for step: LayerNetwork<Float>.Step) throws -> [Float] {
            let place = "\(step.name) (\(step.layerOp) on \(step.inShape))"
            guard let t = byName[name] else { throw FileFormatError(file: file, "missing tensor '\(name)': \(place) needs shape \(shape)") }
            guard t.shape == shape else { throw FileFormatError(file: file, "tensor '\(name)' has shape \(t.shape); \(place) needs \(shape)") }
            read.insert(name)
            return t.values.map { Float($0) }
        }
        for step in network.steps where step.weight != nil || step.state != nil {
            guard let module = modules[step.name] else {
                throw FileFormatError(file: file, "no module of the file is assigned to \(step.name)")
            }
            for slot in [step.weight, step.bias].compactMap({ $0 }) {
                let part = String(slot.name.split(separator: ".").last!)
                network.parameters.replaceSubrange(slot.offset..<(slot.offset + slot.count),
                                                   with: try take("\(module).\(part)", slot.shape, for: step))
            }
            if let offset = step.state {
                let c = step.inShape.channels
                for (k, part) in ["running_mean", "running_var"].enumerated() {
                    network.state.replaceSubrange((offset + k * c)..<(offset + (k + 1) * c), with: try take("\(module).\(part)", [c], for: step))
                }
            }
        }
        let counters = Set(modules.values.map { "\($0).num_batches_tracked" })
        if let extra = tensors.first(where: { !read.contains($0.name) && !counters.contains($0.name) }) {
            throw FileFormatError(file: file, "tensor '\(extra.name)' \(unread(extra.name)) (no tensor is dropped)")
        }
        return network.export()
    }
}
