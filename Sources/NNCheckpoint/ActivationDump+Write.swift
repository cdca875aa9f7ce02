import NNLinalg

extension ActivationDump {
    /// Rows per HDF5 chunk of the N × width datasets, so readers can stream row blocks.
    public static let chunkRows = 4096

    /// Writes the dump to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try HDF5File.createAtomically(path) { root in
            try root.setAttribute("format", NNProbeFileKind.activations.rawValue)
            try root.setAttribute("format_version", NNProbeFileKind.activations.formatVersion)
            try root.setAttribute("nnprobe_version", nnprobeVersion)
            try root.setAttribute("created", created)
            try root.setAttribute("source_checkpoint", sourceCheckpoint)
            try root.setAttribute("task", task)
            try root.setAttribute("n_samples", Int64(rowCount))
            try root.setAttribute("n_layers", Int64(layers.count))
            try root.setAttribute("probe", probe.kind.rawValue)
            try root.setAttribute("dataset", probe.dataset)
            try root.setAttribute("varied_task", probe.variedTask)
            try root.setAttribute("varied_inputs", probe.variedInputs.map { Int64($0) })
            try root.setAttribute("grid_size", Int64(probe.gridSize))
            try root.setAttribute("n_contexts", Int64(probe.contexts.rows))
            try write(inputs, "inputs", into: root)
            try write(targets, "targets", into: root)
            try write(outputs, "outputs", into: root)
            try write(probe.contexts, "contexts", into: root)
            try root.writeDataset("context_index", contextIndex, shape: [contextIndex.count])
            let group = try root.createGroup("layers")
            for (index, layer) in layers.enumerated() {
                let g = try group.createGroup("layer_\(index)")
                try write(layer.post, "post", into: g)
                try write(layer.pre, "pre", into: g)
            }
        }
    }

    private func write(_ matrix: Matrix<Float>, _ name: String, into group: HDF5Group) throws {
        try group.writeDataset(name, matrix.storage, shape: [matrix.rows, matrix.cols], chunkRows: Self.chunkRows)
    }
}
