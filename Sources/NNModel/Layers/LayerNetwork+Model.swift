import NNLinalg

extension LayerNetwork {
    /// The network of `model`, with its weights and batch-norm statistics.
    public convenience init(_ model: LayerModel) throws {
        try self.init(model.stack, seed: 0)
        guard model.parameters.count == parameters.count, model.state.count == state.count else {
            throw LayerShapeError("the model holds \(model.parameters.count) parameters and \(model.state.count) statistics; its layers need \(parameters.count) and \(state.count)")
        }
        parameters = model.parameters.map { T($0) }
        state = model.state.map { T($0) }
    }

    /// The current weights and statistics as a `LayerModel` (Float), e.g. to save a checkpoint.
    public func export() -> LayerModel {
        LayerModel(stack: stack, parameters: parameters.map { Float($0) }, state: state.map { Float($0) })
    }

    /// Indices of the steps whose outputs are the model's hidden units: every activation step but
    /// the output block's (a single-head model's last block).
    public var hiddenActivationSteps: [Int] {
        let outputBlock = stack.heads.isEmpty ? "block\(stack.blocks.count - 1)." : nil
        return steps.indices.filter { i in
            guard case .layer(.activation) = steps[i].operation else { return false }
            return outputBlock.map { !steps[i].name.hasPrefix($0) } ?? true
        }
    }

    /// Values of buffer `index` for the examples of the last forward pass (batch × its shape, NCHW).
    public func values(ofBuffer index: Int) -> ArraySlice<T> {
        let w = workspace
        return w.values[w.offsets[index]..<(w.offsets[index] + w.batch * buffers[index].count)]
    }

    /// Values per example held while a batch runs (every buffer and its gradient), to size batches by memory.
    public var valuesPerExample: Int { 2 * buffers.reduce(0) { $0 + $1.count } }
}

extension LayerNetwork {
    /// Every trainable tensor under the name files and commands use: an MLP's as in checkpoint
    /// format 1 (`layer_0.weight`, `layer_0.gamma`, `head_1.bias`), the engine's otherwise
    /// (`block2.main.0.weight`).
    public var namedTensors: [TensorSlot] {
        guard let shape = stack.mlpShape else { return tensors }
        var names: [String] = []
        for (i, layer) in shape.layers.enumerated() {
            names += ["layer_\(i).weight", "layer_\(i).bias"] + (layer.batchNorm ? ["layer_\(i).gamma", "layer_\(i).beta"] : [])
        }
        for k in stack.heads.indices { names += ["head_\(k).weight", "head_\(k).bias"] }
        precondition(names.count == tensors.count, "an MLP-shaped stack with \(tensors.count) tensors")
        return zip(tensors, names).map { TensorSlot(name: $1, offset: $0.offset, count: $0.count, shape: $0.shape) }
    }

    /// The tensors of block `index` (its main path, shortcut and the layers after the sum).
    public func tensors(ofBlock index: Int) -> [TensorSlot] {
        tensors.filter { $0.name.hasPrefix("block\(index).") }
    }
}

extension LayerNetwork {
    /// Rows per evaluation chunk for `rows` rows: up to 4,096, fewer when a chunk's activations
    /// would pass 256 MiB.
    public func evaluationChunk(rows: Int) -> Int {
        max(1, min(4096, rows, (256 << 20) / (4 * max(1, valuesPerExample))))
    }

    /// Runs `inputs` (N examples, NCHW) forward in evaluation mode, `chunk` examples at a time,
    /// calling `body` after each chunk with its first example, its size and its outputs; the
    /// chunk's buffers (`values(ofBuffer:)`) hold its activations meanwhile.
    public func forEachChunk(of inputs: [T], chunk: Int, _ body: (_ start: Int, _ rows: Int, _ outputs: [T]) -> Void) {
        let d = buffers[0].count
        let n = d > 0 ? inputs.count / d : 0
        var none = RandomSource(seed: 0)
        var start = 0
        while start < n {
            let rows = min(max(1, chunk), n - start)
            body(start, rows, forward(Array(inputs[(start * d)..<((start + rows) * d)]), batch: rows, training: false, dropout: &none))
            start += rows
        }
    }

    /// The model's outputs (N × output width) for `inputs` (N examples, NCHW), evaluation mode,
    /// `chunk` examples at a time (by default `evaluationChunk`).
    public func predictions(for inputs: [T], chunk: Int? = nil) -> [T] {
        let n = inputs.count / max(1, buffers[0].count)
        var result: [T] = []
        result.reserveCapacity(n * outputWidth)
        forEachChunk(of: inputs, chunk: chunk ?? evaluationChunk(rows: n)) { _, _, outputs in result += outputs }
        return result
    }
}

extension LayerNetwork {
    /// The network of a consistent MLP (`MLP.shapeProblems()` empty, as every reader checks),
    /// whose layers always fit together.
    public convenience init(_ mlp: MLP) {
        precondition(mlp.shapeProblems().isEmpty, "inconsistent model: \(mlp.shapeProblems())")
        // An MLP's stack always lays out (its widths chain), so this cannot fail.
        try! self.init(LayerModel(mlp))
    }
}
