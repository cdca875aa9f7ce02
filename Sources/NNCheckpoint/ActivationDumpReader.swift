import NNLinalg
import NNModel

/// Reads an activation dump, whole or in row blocks (so a large dump streams in constant memory).
public final class ActivationDumpReader {
    /// The file being read.
    public let path: String
    public let task: String
    public let sourceCheckpoint: String
    public let probe: ActivationProbe
    /// 1: an MLP's layers; 2: a layer stack's blocks (conv nets), with their shapes.
    public let formatVersion: Int64
    /// Number of probe rows N.
    public let rowCount: Int
    /// Rows M whose image-shaped blocks keep their feature maps (N in version 1).
    public let mapRowCount: Int
    /// Number of trunk layers dumped.
    public let layerCount: Int
    /// Per layer, the block it is (version 2); nil per layer in version 1.
    public let blocks: [BlockLayout?]
    private let root: HDF5Group

    /// Opens and validates the dump at `path`.
    public convenience init(path: String) throws {
        try self.init(path: path, root: NNProbeFile.open(path, expecting: .activations).root)
    }

    /// Validates the dump at `path` whose root group `NNProbeFile.open` has already opened (and
    /// found to be an activation dump): one open per file where the caller first needs the kind.
    /// Every dataset's shape is checked against N (and M, and the block's shape) before anything is read.
    public init(path: String, root: HDF5Group) throws {
        self.path = path
        self.root = root
        do {
            formatVersion = try root.integerAttribute("format_version")
            task = try root.stringAttribute("task")
            sourceCheckpoint = try root.stringAttribute("source_checkpoint")
            let contexts = try Self.readMatrix(root.dataset("contexts"), file: path)
            let kind = try root.stringAttribute("probe")
            guard let probeKind = ActivationProbe.Kind(rawValue: kind) else {
                throw FileFormatError(file: path, "probe attribute \"\(kind)\": expected dataset or vary")
            }
            probe = ActivationProbe(
                kind: probeKind, dataset: try root.stringAttribute("dataset"),
                variedTask: try root.stringAttribute("varied_task"),
                variedInputs: try root.attribute("varied_inputs").integers.map { Int($0) },
                gridSize: Int(try root.integerAttribute("grid_size")), contexts: contexts)
            rowCount = try root.dataset("inputs").shape().first ?? 0
            layerCount = try root.group("layers").members().count
            for name in ["outputs", "targets"] {
                let shape = try root.dataset(name).shape()
                guard shape.count == 2, shape[0] == rowCount || (name == "targets" && shape[0] == 0) else {
                    throw FileFormatError(file: path, "/\(name): shape \(shape), expected (\(rowCount) × width)")
                }
            }
            if formatVersion >= 2 {
                let mapRows = try root.integerAttribute("n_map_rows")
                guard (0...Int64(rowCount)).contains(mapRows) else {
                    throw FileFormatError(file: path, "/@n_map_rows \(mapRows): expected 0...\(rowCount) (the rows of /inputs)")
                }
                let (rows, layers) = (rowCount, try root.group("layers"))
                mapRowCount = Int(mapRows)
                blocks = try (0..<layerCount).map { index in
                    try Self.block(layers.group("layer_\(index)"), rows: rows, mapRows: Int(mapRows), file: path)
                }
            } else {
                mapRowCount = rowCount
                blocks = Array(repeating: nil, count: layerCount)
                for index in 0..<layerCount {
                    for part in ["post", "pre"] {
                        let shape = try root.group("layers").group("layer_\(index)").dataset(part).shape()
                        guard shape.count == 2, shape[0] == rowCount else {
                            throw FileFormatError(file: path, "/layers/layer_\(index)/\(part): shape \(shape), expected (\(rowCount) × width)")
                        }
                    }
                }
            }
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// Width of layer `layer`'s per-row features (`layerRows`): its flat width, or an image-shaped
    /// block's channel count.
    public func width(ofLayer layer: Int, pre: Bool = false) throws -> Int {
        try dataset(layer: layer, pre: pre, features: true).shape()[1]
    }

    /// Rows `rows` of layer `layer`'s per-row features (pre-activations when `pre`): its flat
    /// activations, or an image-shaped block's pooled channels (N × C). What analyses read.
    public func layerRows(_ layer: Int, rows: Range<Int>, pre: Bool = false) throws -> Matrix<Float> {
        let dataset = try dataset(layer: layer, pre: pre, features: true)
        let width = try dataset.shape()[1]
        return Matrix(rows: rows.count, cols: width, storage: try dataset.readRows(rows, as: Float.self))
    }

    /// The shape of layer `layer`'s activations per row (version 1: its width × 1 × 1).
    public func shape(ofLayer layer: Int, pre: Bool = false) throws -> FeatureShape {
        let dataset = try dataset(layer: layer, pre: pre, features: false)
        guard let block = blocks[layer] else { return FeatureShape(channels: try dataset.shape()[1]) }
        return pre ? block.preShape : block.shape
    }

    /// Rows `rows` of layer `layer`'s activations as stored, one row per example (C·H·W values,
    /// NCHW): an image-shaped block's feature maps (rows below `mapRowCount`), else its flat rows.
    public func mapRows(_ layer: Int, rows: Range<Int>, pre: Bool = false) throws -> Matrix<Float> {
        let count = try shape(ofLayer: layer, pre: pre).count
        let dataset = try dataset(layer: layer, pre: pre, features: false)
        return Matrix(rows: rows.count, cols: count, storage: try dataset.readRows(rows, as: Float.self))
    }

    /// The probe's inputs (N × d) alone.
    public func inputs() throws -> Matrix<Float> {
        try Self.readMatrix(root.dataset("inputs"), file: path)
    }

    /// Reads the whole dump into memory (`layersToo: false` skips the per-layer activations).
    public func readAll(layersToo: Bool = true) throws -> ActivationDump {
        let layers = try (0..<(layersToo ? layerCount : 0)).map { index in
            try readLayer(index)
        }
        return ActivationDump(
            sourceCheckpoint: sourceCheckpoint, task: task, probe: probe,
            inputs: try Self.readMatrix(root.dataset("inputs"), file: path),
            targets: try Self.readMatrix(root.dataset("targets"), file: path),
            outputs: try Self.readMatrix(root.dataset("outputs"), file: path),
            contextIndex: try root.dataset("context_index").read(as: Int32.self),
            layers: layers,
            nnprobeVersion: try root.stringAttribute("nnprobe_version"),
            created: try root.stringAttribute("created"))
    }

    private func readLayer(_ index: Int) throws -> LayerActivations {
        guard let block = blocks[index] else {
            return LayerActivations(post: try layerRows(index, rows: 0..<rowCount), pre: try layerRows(index, rows: 0..<rowCount, pre: true))
        }
        let stored = { (pre: Bool, shape: FeatureShape) in
            try self.mapRows(index, rows: 0..<(shape.isFlat ? self.rowCount : self.mapRowCount), pre: pre)
        }
        return LayerActivations(
            block: block, post: try stored(false, block.shape), pre: try stored(true, block.preShape),
            pooled: block.shape.isFlat ? nil : try layerRows(index, rows: 0..<rowCount),
            pooledPre: block.preShape.isFlat ? nil : try layerRows(index, rows: 0..<rowCount, pre: true))
    }

    /// Layer `layer`'s `post`/`pre` dataset, or (`features`) its pooled one when it has one.
    private func dataset(layer: Int, pre: Bool, features: Bool) throws -> HDF5Dataset {
        guard (0..<layerCount).contains(layer) else {
            throw FileFormatError(file: path, "layer \(layer) is not in the dump (layers 0...\(layerCount - 1))")
        }
        let group = try root.group("layers").group("layer_\(layer)")
        if features, let block = blocks[layer], !(pre ? block.preShape : block.shape).isFlat {
            return try group.dataset(pre ? "pooled_pre" : "pooled")
        }
        return try group.dataset(pre ? "pre" : "post")
    }

    static func readMatrix(_ dataset: HDF5Dataset, file: String) throws -> Matrix<Float> {
        let shape = try dataset.shape()
        guard shape.count == 2 else { throw FileFormatError(file: file, "\(dataset.path): shape \(shape), expected 2-D") }
        return Matrix(rows: shape[0], cols: shape[1], storage: try dataset.read(as: Float.self))
    }
}

extension HDF5AttributeValue {
    /// The integer values, or empty when the attribute holds something else.
    var integers: [Int64] {
        if case .integers(let values) = self { return values }
        return []
    }
}
