import NNLinalg
import NNModel

extension Checkpoint {
    /// Writes the checkpoint to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try HDF5File.createAtomically(path, inMemory: true) { root in
            try root.setAttribute("format", NNProbeFileKind.checkpoint.rawValue)
            try root.setAttribute("format_version", Int64(layers == nil ? 1 : 2))
            try root.setAttribute("nnprobe_version", nnprobeVersion)
            try root.setAttribute("created", created)
            try root.setAttribute("task", task)
            try root.setAttribute("seed", seed)
            try root.setAttribute("config", config)
            try root.setAttribute("status", status.rawValue)
            if let layers { try writeLayers(layers, into: root.createGroup("model")) } else { try writeModel(model, into: root.createGroup("model")) }
            try writeHistory(into: root.createGroup("history"))
            try writeGradients(into: root.createGroup("gradients"))
        }
    }

    private func writeModel(_ model: MLP, into group: HDF5Group) throws {
        try group.setAttribute("kind", "mlp")
        try group.setAttribute("n_layers", Int64(model.layers.count))
        try group.setAttribute("n_heads", Int64(model.heads.count))
        try group.setAttribute("input_width", Int64(model.inputWidth))
        try group.setAttribute("output_width", Int64(model.outputWidth))
        for (index, layer) in model.layers.enumerated() {
            let g = try group.createGroup("layer_\(index)")
            try g.setAttribute("kind", "dense")
            try g.setAttribute("activation", layer.activation.rawValue)
            try g.setAttribute("residual", Int64(layer.residual ? 1 : 0))
            try g.setAttribute("batch_norm", Int64(layer.batchNorm == nil ? 0 : 1))
            try g.setAttribute("dropout", layer.dropout)
            try writeMatrix(layer.weight, "weight", into: g)
            try g.writeDataset("bias", layer.bias, shape: [layer.bias.count])
            if let bn = layer.batchNorm {
                try g.setAttribute("bn_eps", bn.eps)
                try g.setAttribute("bn_momentum", bn.momentum)
                for (name, values) in [("gamma", bn.gamma), ("beta", bn.beta),
                                       ("running_mean", bn.runningMean), ("running_var", bn.runningVar)] {
                    try g.writeDataset(name, values, shape: [values.count])
                }
            }
        }
        for (index, head) in model.heads.enumerated() {
            let g = try group.createGroup("head_\(index)")
            try g.setAttribute("kind", "dense")
            try g.setAttribute("activation", Activation.identity.rawValue)
            try g.setAttribute("source_layer", Int64(head.sourceLayer))
            try writeMatrix(head.weight, "weight", into: g)
            try g.writeDataset("bias", head.bias, shape: [head.bias.count])
        }
    }

    private func writeMatrix(_ matrix: Matrix<Float>, _ name: String, into group: HDF5Group) throws {
        try group.writeDataset(name, matrix.storage, shape: [matrix.rows, matrix.cols])
    }

    private func writeHistory(into group: HDF5Group) throws {
        try group.setAttribute("epochs", Int64(history.epochs))
        try group.setAttribute("test_loss", history.testLoss)
        try group.setAttribute("test_accuracy", history.testAccuracy)
        try group.setAttribute("steps_per_epoch", Int64(history.stepsPerEpoch))
        if let seconds = storedSeconds { try group.setAttribute("seconds", seconds) }
        let curves: [(String, [Double])] = [
            ("train_loss", history.trainLoss), ("train_accuracy", history.trainAccuracy),
            ("val_loss", history.valLoss), ("val_accuracy", history.valAccuracy),
            ("learning_rate", history.learningRate), ("dead_units", deadUnits),
        ]
        for (name, values) in curves { try group.writeDataset(name, values, shape: [values.count]) }
    }

    private func writeGradients(into group: HDF5Group) throws {
        try group.setAttribute("steps_kept", Int64(gradients.stepsKept))
        try group.setAttribute("n_parameters", Int64(gradients.records.count))
        for (order, record) in gradients.records.enumerated() {
            let g = try group.createGroup(record.name)
            try g.setAttribute("order", Int64(order))
            for (prefix, stats) in [("first", record.first), ("last", record.last)] {
                try g.writeDataset("\(prefix)_steps", stats.steps.map { Int64($0) }, shape: [stats.steps.count])
                try g.writeDataset("\(prefix)_norm", stats.norm, shape: [stats.norm.count])
                try g.writeDataset("\(prefix)_mean_abs", stats.meanAbs, shape: [stats.meanAbs.count])
                try g.writeDataset("\(prefix)_std_abs", stats.stdAbs, shape: [stats.stdAbs.count])
            }
            try g.writeDataset("epoch_mean_norm", record.epochMeanNorm, shape: [record.epochMeanNorm.count])
        }
    }
}

extension Checkpoint {
    /// The training time the file stores: none when files must be reproducible (`SOURCE_DATE_EPOCH`).
    public var storedSeconds: Double? { NNProbeVersion.isReproducible ? nil : history.seconds }
}
