import Foundation
import NNModel

/// Checkpoint format 2's model: any `LayerStack` (conv nets, ResNets) with its tensors in
/// PyTorch's layouts, one group per layer in execution order. See docs/checkpoint-format.md.
extension Checkpoint {
    func writeLayers(_ model: LayerModel, into group: HDF5Group) throws {
        let network = try LayerNetwork<Float>(model)
        try group.setAttribute("kind", "layers")
        try group.setAttribute("stack", try model.stack.jsonText())
        try group.setAttribute("input_shape", [model.stack.input.channels, model.stack.input.height, model.stack.input.width].map(Int64.init))
        try group.setAttribute("output_width", Int64(network.outputWidth))
        let steps = network.steps.filter { if case .add = $0.operation { false } else { true } }
        try group.setAttribute("n_layers", Int64(steps.count))
        try group.setAttribute("n_parameters", Int64(model.parameters.count))
        let layers = try group.createGroup("layers")
        for (order, step) in steps.enumerated() {
            let g = try layers.createGroup(step.name)
            try g.setAttribute("order", Int64(order))
            try g.setAttribute("op", step.layerOp)
            try g.setAttribute("input_shape", step.inShape.stored)
            try g.setAttribute("output_shape", step.outShape.stored)
            for slot in [step.weight, step.bias].compactMap({ $0 }) {
                let suffix = String(slot.name.split(separator: ".").last!)
                try g.writeDataset(suffix, Array(model.parameters[slot.offset..<(slot.offset + slot.count)]), shape: slot.shape)
            }
            if let offset = step.state {
                let c = step.inShape.channels
                try g.writeDataset("running_mean", Array(model.state[offset..<(offset + c)]), shape: [c])
                try g.writeDataset("running_var", Array(model.state[(offset + c)..<(offset + 2 * c)]), shape: [c])
                try g.setAttribute("bn_eps", 1e-5)
                try g.setAttribute("bn_momentum", 0.1)
            }
        }
    }

    /// Reads format 2's model: the stack from `/model/@stack` (its sizes checked before anything
    /// is allocated), then every tensor at the shape the stack gives it.
    static func readLayers(_ group: HDF5Group, file: String) throws -> LayerModel {
        let stack: LayerStack
        do { stack = try LayerStack(jsonText: try group.stringAttribute("stack")) } catch let error as HDF5Error {
            throw error
        } catch {
            throw FileFormatError(file: file, "/model/@stack is not a layer description: \(error)")
        }
        if let problem = stack.sizeProblem { throw FileFormatError(file: file, "/model/@stack: \(problem)") }
        if case .failure(let error) = stack.layers() { throw FileFormatError(file: file, "/model/@stack: \(error)") }
        let network = try LayerNetwork<Float>(stack, seed: 0)
        let layers = try group.group("layers")
        for step in network.steps {
            for slot in [step.weight, step.bias].compactMap({ $0 }) {
                let suffix = String(slot.name.split(separator: ".").last!)
                let dataset = try layers.group(step.name).dataset(suffix)
                let (shape, values) = try dataset.readWithShape(as: Float.self)
                guard shape == slot.shape else {
                    throw FileFormatError(file: file, "\(dataset.path): shape \(shape), the layer needs \(slot.shape)")
                }
                network.parameters.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: values)
            }
            if let offset = step.state {
                let c = step.inShape.channels
                for (k, name) in ["running_mean", "running_var"].enumerated() {
                    let dataset = try layers.group(step.name).dataset(name)
                    let (shape, values) = try dataset.readWithShape(as: Float.self)
                    guard shape == [c] else { throw FileFormatError(file: file, "\(dataset.path): shape \(shape), the layer needs [\(c)]") }
                    network.state.replaceSubrange((offset + k * c)..<(offset + (k + 1) * c), with: values)
                }
            }
        }
        return network.export()
    }
}

extension LayerNetwork.Step {
    /// The op's name in files (`conv2d`, `batch_norm`, …; `linear` for a head's read-out).
    var layerOp: String {
        switch operation {
        case .layer(let layer): layer.op
        case .readOut: "linear"
        case .add: "add"
        }
    }
}

extension FeatureShape {
    /// [channels, height, width] as stored.
    var stored: [Int64] { [Int64(channels), Int64(height), Int64(width)] }
}
