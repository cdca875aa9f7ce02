import NNLinalg

/// Reads an activation dump, whole or in row blocks (so a large dump streams in constant memory).
public final class ActivationDumpReader {
    /// The file being read.
    public let path: String
    public let task: String
    public let sourceCheckpoint: String
    public let probe: ActivationProbe
    /// Number of probe rows N.
    public let rowCount: Int
    /// Number of trunk layers dumped.
    public let layerCount: Int
    private let root: HDF5Group

    /// Opens and validates the dump at `path`.
    public convenience init(path: String) throws {
        try self.init(path: path, root: NNProbeFile.open(path, expecting: .activations).root)
    }

    /// Validates the dump at `path` whose root group `NNProbeFile.open` has already opened (and
    /// found to be an activation dump): one open per file where the caller first needs the kind.
    public init(path: String, root: HDF5Group) throws {
        self.path = path
        self.root = root
        do {
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
            for index in 0..<layerCount {
                for part in ["post", "pre"] {
                    let shape = try root.group("layers").group("layer_\(index)").dataset(part).shape()
                    guard shape.count == 2, shape[0] == rowCount else {
                        throw FileFormatError(file: path, "/layers/layer_\(index)/\(part): shape \(shape), expected (\(rowCount) × width)")
                    }
                }
            }
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// Width of trunk layer `layer`.
    public func width(ofLayer layer: Int) throws -> Int {
        try dataset(layer: layer, pre: false).shape()[1]
    }

    /// Rows `rows` of layer `layer`'s post-activations (or pre-activations when `pre`).
    public func layerRows(_ layer: Int, rows: Range<Int>, pre: Bool = false) throws -> Matrix<Float> {
        let dataset = try dataset(layer: layer, pre: pre)
        let width = try dataset.shape()[1]
        return Matrix(rows: rows.count, cols: width, storage: try dataset.readRows(rows, as: Float.self))
    }

    /// The probe's inputs (N × d) alone.
    public func inputs() throws -> Matrix<Float> {
        try Self.readMatrix(root.dataset("inputs"), file: path)
    }

    /// Reads the whole dump into memory (`layersToo: false` skips the per-layer activations).
    public func readAll(layersToo: Bool = true) throws -> ActivationDump {
        let layers = try (0..<(layersToo ? layerCount : 0)).map { index in
            LayerActivations(post: try layerRows(index, rows: 0..<rowCount),
                             pre: try layerRows(index, rows: 0..<rowCount, pre: true))
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

    private func dataset(layer: Int, pre: Bool) throws -> HDF5Dataset {
        guard (0..<layerCount).contains(layer) else {
            throw FileFormatError(file: path, "layer \(layer) is not in the dump (layers 0...\(layerCount - 1))")
        }
        return try root.group("layers").group("layer_\(layer)").dataset(pre ? "pre" : "post")
    }

    private static func readMatrix(_ dataset: HDF5Dataset, file: String) throws -> Matrix<Float> {
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
