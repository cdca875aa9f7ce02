import NNLinalg
import NNModel
import NNTasks

extension Trainer {
    /// A source model made ready for this task (transfer learning): blocks (MLP layers) in
    /// `config.run.reinit` are re-drawn from the configured initialisation, and when the task's
    /// output width differs the read-out (output layer or heads) is replaced by a fresh one.
    /// Returns the model and one note per change.
    public func transferred(_ source: LayerModel) throws -> (model: LayerModel, notes: [String]) {
        if let mlp = source.mlp {
            let (model, notes) = try transferred(mlp)
            return (LayerModel(model), notes)
        }
        guard source.stack.input == task.resolvedInputShape else {
            throw SettingProblem("init_from", nil, "the checkpoint takes \(source.stack.input) inputs, task \(task.name) has \(task.resolvedInputShape)")
        }
        // The configured stack (the source's settings, adopted, with this run's read-outs and the
        // task's classes) — or, for a model no family describes (an imported one), the source's own
        // stack with its read-out sized for the task — drawn afresh; then every tensor the source
        // has under the same name and shape is copied, but for the blocks in `reinit`.
        let target = config.model.arch == .mlp ? Self.stack(source.stack, readingOut: task.outputWidth) : architecture.stack()
        let fresh = try LayerNetwork<Float>(target, initialization: config.model.initialization, seed: config.seed)
        for (key, blocks) in [("freeze", config.run.freeze), ("reinit", config.run.reinit)] {
            if let bad = blocks.first(where: { !fresh.stack.blocks.indices.contains($0) }) {
                throw SettingProblem(key, "\(bad)", "the model has blocks 0…\(fresh.stack.blocks.count - 1)")
            }
        }
        let old = try LayerNetwork<Float>(source)
        let reinit = Set(config.run.reinit.map { "block\($0)." })
        let sourceTensors = Dictionary(uniqueKeysWithValues: old.tensors.map { ($0.name, $0) })
        var drawn: [String] = []
        for slot in fresh.tensors {
            guard !reinit.contains(where: slot.name.hasPrefix), let from = sourceTensors[slot.name], from.shape == slot.shape else {
                drawn.append(slot.name)
                continue
            }
            fresh.parameters.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: source.parameters[from.offset..<(from.offset + from.count)])
        }
        let sourceState = Dictionary(uniqueKeysWithValues: old.steps.compactMap { step in step.state.map { (step.name, ($0, step.inShape.channels)) } })
        for step in fresh.steps {
            guard let offset = step.state, !reinit.contains(where: step.name.hasPrefix),
                  let (from, channels) = sourceState[step.name], channels == step.inShape.channels else { continue }
            fresh.state.replaceSubrange(offset..<(offset + 2 * channels), with: source.state[from..<(from + 2 * channels)])
        }
        var notes = config.run.reinit.sorted().map { "block\($0) re-initialised" }
        let newTensors = drawn.filter { name in !reinit.contains(where: name.hasPrefix) }
        if !newTensors.isEmpty { notes.append("drawn afresh (not in the checkpoint at this shape): \(newTensors.joined(separator: ", "))") }
        return (fresh.export(), notes)
    }

    /// `stack` with its read-out (every head, or the last block's final linear layer) giving `outputs` values.
    static func stack(_ stack: LayerStack, readingOut outputs: Int) -> LayerStack {
        var stack = stack
        if !stack.heads.isEmpty {
            for k in stack.heads.indices { stack.heads[k].outputs = outputs }
        } else if let b = stack.blocks.indices.last, case .linear? = stack.blocks[b].main.last {
            stack.blocks[b].main[stack.blocks[b].main.count - 1] = .linear(outputs: outputs)
        }
        return stack
    }

    private func transferred(_ source: MLP) throws -> (model: MLP, notes: [String]) {
        guard source.inputWidth == task.inputWidth else {
            throw SettingProblem("init_from", nil, "the checkpoint takes \(source.inputWidth) inputs, task \(task.name) has \(task.inputWidth)")
        }
        for (key, layers) in [("freeze", config.run.freeze), ("reinit", config.run.reinit)] {
            if let bad = layers.first(where: { !source.layers.indices.contains($0) }) {
                throw SettingProblem(key, "\(bad)", "the checkpoint has layers 0…\(source.layers.count - 1)")
            }
        }
        var model = source
        var notes: [String] = []
        var rng = RandomSource.stream(.initialisation, seed: config.seed)
        func fresh(out: Int, in fanIn: Int) -> (Matrix<Float>, [Float]) {
            let (w, b) = config.model.initialization.draw(out: out, in: fanIn, using: &rng)
            return (Matrix(rows: out, cols: fanIn, storage: w), b)
        }
        for index in config.run.reinit.sorted() {
            let layer = model.layers[index]
            (model.layers[index].weight, model.layers[index].bias) = fresh(out: layer.outputs, in: layer.inputs)
            if layer.batchNorm != nil { model.layers[index].batchNorm = BatchNorm(width: layer.outputs) }
            notes.append("layer_\(index) re-initialised")
        }
        if source.outputWidth != task.outputWidth {
            if model.isMultiHead {
                for k in model.heads.indices {
                    (model.heads[k].weight, model.heads[k].bias) = fresh(out: task.outputWidth, in: model.heads[k].weight.cols)
                }
                notes.append("heads replaced: \(source.outputWidth) → \(task.outputWidth) outputs")
            } else {
                let last = model.layers.count - 1
                (model.layers[last].weight, model.layers[last].bias) = fresh(out: task.outputWidth, in: model.layers[last].inputs)
                notes.append("layer_\(last) (output) replaced: \(source.outputWidth) → \(task.outputWidth) outputs")
            }
        }
        return (model, notes)
    }
}

extension TrainingConfig {
    /// These settings with the architecture of `source` (see the MLP case below); a conv net's
    /// model settings are those `stored` (its checkpoint's configuration) holds, but for where
    /// the read-outs sit (`heads_on`), which this run chooses.
    public func adoptingArchitecture(of source: LayerModel, stored: TrainingConfig?) -> TrainingConfig {
        if let mlp = source.mlp { return adoptingArchitecture(of: mlp) }
        var adopted = self
        if let stored {
            adopted.model = stored.model
            adopted.model.headsOn = model.headsOn   // read-outs are this run's choice
        }
        return adopted
    }

    /// These settings with the architecture of `source`, the model transfer learning starts
    /// from: its hidden widths, heads, batch norm, activation and residual connections replace
    /// the configured ones, so the stored configuration describes the model actually trained
    /// (and rules that depend on the architecture, like dropping a 1-row batch under batch norm, apply).
    public func adoptingArchitecture(of source: MLP) -> TrainingConfig {
        var adopted = self
        let hiddenLayers = source.isMultiHead ? source.layers : Array(source.layers.dropLast())
        adopted.model.hidden = hiddenLayers.map(\.outputs)
        adopted.model.multiHead = source.isMultiHead
        adopted.model.matchMultiHeadParameters = false
        adopted.model.batchNorm = hiddenLayers.contains { $0.batchNorm != nil }
        adopted.model.residual = hiddenLayers.contains { $0.residual }
        if let first = hiddenLayers.first { adopted.model.activation = first.activation }
        return adopted
    }
}
