import NNModel

/// An `nn.Sequential` of the supported ops (conv, linear, batch norm, activations, pooling,
/// flatten, dropout) from its state dict and its layers, which a state dict does not list.
extension SafeTensors {
    /// The model of `layers` (as `Layer.list(specs:)` reads them) on `input`, with the file's
    /// tensors. A state dict names only the modules with tensors, so the file's modules in natural
    /// name order (`0`, `1`, `4`, …, `10`; prefixes such as `features.0` are fine) go to the
    /// parameterised layers — conv2d, linear, batch norm — in the order `layers` lists them. A
    /// conv has a bias when the file has its `bias`; a linear layer needs one.
    ///
    /// As blocks: a new block starts at every conv2d and linear layer, so the last linear layer
    /// is a block of its own (the read-out `train --init-from` replaces).
    public static func sequential(_ layers: [Layer], input: FeatureShape, from tensors: [SafeTensor], file: String) throws -> LayerModel {
        var modules: [(prefix: String, parts: Set<String>)] = [], moduleIndex: [String: Int] = [:]
        for t in tensors {
            let path = t.name.split(separator: ".", omittingEmptySubsequences: false)
            let prefix = path.dropLast().joined(separator: ".")
            if moduleIndex[prefix] == nil { moduleIndex[prefix] = modules.count; modules.append((prefix, [])) }
            modules[moduleIndex[prefix]!].parts.insert(String(path.last!))
        }
        guard !layers.isEmpty else { throw FileFormatError(file: file, "--layers lists no layers") }
        let parameterised = layers.indices.filter { layers[$0].hasTensors }
        let specs = { (i: Int) in "--layers item \(i + 1) '\(layers[i].spec)'" }
        if modules.count < parameterised.count {
            let found = modules.isEmpty ? "none" : modules.map { $0.prefix.isEmpty ? "(top level)" : $0.prefix }.joined(separator: ", ")
            throw FileFormatError(file: file, "no tensors for \(specs(parameterised[modules.count])): --layers has \(parameterised.count) layers with tensors (conv2d, linear, batchnorm), the file \(modules.count) modules (\(found))")
        }
        var blocks: [Block] = []
        var names: [String: String] = [:]   // engine place → module
        var layerOf: [String: Int] = [:]    // module → its item in `layers`
        var next = 0                         // the next module to assign
        for (i, spec) in layers.enumerated() {
            var layer = spec
            if case .conv2d(let c, let k, let s, let p, _) = layer {
                layer = .conv2d(channels: c, kernel: k, stride: s, padding: p, bias: modules[next].parts.contains("bias"))
            }
            if blocks.isEmpty || (layer.hasWeights && blocks[blocks.count - 1].main.contains(where: \.hasWeights)) { blocks.append(Block([])) }
            if layer.hasTensors {
                names["block\(blocks.count - 1).main.\(blocks[blocks.count - 1].main.count)"] = modules[next].prefix
                layerOf[modules[next].prefix] = i
                next += 1
            }
            blocks[blocks.count - 1].main.append(layer)
        }
        let stack = LayerStack(input: input, blocks: blocks)
        return try model(stack, modules: names, from: tensors, file: file) { name in
            let prefix = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
            if let i = layerOf[prefix] { return "is not a tensor of \(specs(i))" }
            return "has no layer in --layers to go to: --layers has \(parameterised.count) layers with tensors (conv2d, linear, batchnorm), the file \(modules.count) modules"
        }
    }
}

extension Layer {
    /// Whether the layer has tensors in a state dict (conv2d, linear, batch norm).
    var hasTensors: Bool {
        switch self {
        case .conv2d, .linear, .batchNorm: true
        default: false
        }
    }

    /// Whether the layer has a weight matrix (conv2d, linear): where the Sequential import starts a block.
    var hasWeights: Bool {
        switch self {
        case .conv2d, .linear: true
        default: false
        }
    }
}
