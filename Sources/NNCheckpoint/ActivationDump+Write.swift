import NNLinalg
import NNModel

extension ActivationDump {
    /// Rows per HDF5 chunk of the N × width datasets, so readers can stream row blocks.
    public static let chunkRows = 4096

    /// Bytes a chunk of feature maps may hold (unless one row is larger): h5py's and HDF5's
    /// default chunk cache, so a reader streaming rows keeps each chunk it touches.
    public static let mapChunkBytes = 1 << 20

    /// Rows per chunk of an (M, C, H, W) dataset whose rows are `shape`: at most 4096, and as many
    /// as fit `mapChunkBytes` (at least 1).
    public static func mapChunkRows(_ shape: FeatureShape) -> Int {
        max(1, min(chunkRows, mapChunkBytes / (4 * max(1, shape.count))))
    }

    /// Writes the dump to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try HDF5File.createAtomically(path) { root in
            try root.setAttribute("format", NNProbeFileKind.activations.rawValue)
            try root.setAttribute("format_version", formatVersion)
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
            if formatVersion >= 2 { try root.setAttribute("n_map_rows", Int64(mapRowCount)) }
            try write(inputs, "inputs", into: root)
            try write(targets, "targets", into: root)
            try write(outputs, "outputs", into: root)
            try write(probe.contexts, "contexts", into: root)
            try root.writeDataset("context_index", contextIndex, shape: [contextIndex.count])
            let group = try root.createGroup("layers")
            for (index, layer) in layers.enumerated() {
                let g = try group.createGroup("layer_\(index)")
                guard let block = layer.block else {
                    try write(layer.post, "post", into: g)
                    try write(layer.pre, "pre", into: g)
                    continue
                }
                try write(block, layer, into: g)
            }
        }
    }

    /// A layer stack's block: its description as attributes, its activations in their shapes.
    private func write(_ block: BlockLayout, _ layer: LayerActivations, into g: HDF5Group) throws {
        try g.setAttribute("name", block.name)
        try g.setAttribute("layers", block.layers)
        try g.setAttribute("shape", Self.dimensions(block.shape))
        try g.setAttribute("pre_shape", Self.dimensions(block.preShape))
        try write(layer.post, "post", shape: block.shape, into: g)
        try write(layer.pre, "pre", shape: block.preShape, into: g)
        if let pooled = layer.pooled { try write(pooled, "pooled", into: g) }
        if let pooledPre = layer.pooledPre { try write(pooledPre, "pooled_pre", into: g) }
    }

    /// Flat activations as (rows, width); image-shaped ones as (rows, C, H, W).
    private func write(_ matrix: Matrix<Float>, _ name: String, shape: FeatureShape, into group: HDF5Group) throws {
        guard !shape.isFlat else { return try write(matrix, name, into: group) }
        try group.writeDataset(name, matrix.storage, shape: [matrix.rows, shape.channels, shape.height, shape.width],
                               chunkRows: Self.mapChunkRows(shape))
    }

    private func write(_ matrix: Matrix<Float>, _ name: String, into group: HDF5Group) throws {
        try group.writeDataset(name, matrix.storage, shape: [matrix.rows, matrix.cols], chunkRows: Self.chunkRows)
    }

    /// C, H, W.
    static func dimensions(_ shape: FeatureShape) -> [Int64] {
        [shape.channels, shape.height, shape.width].map { Int64($0) }
    }
}
