import NNLinalg

extension Checkpoint {
    /// One weight matrix of a checkpoint, named as every subcommand names it.
    public struct NamedWeight: Sendable {
        /// `layer_0`, `layer_1`, …, then `head_0`, ….
        public let name: String
        public let weight: Matrix<Float>
        public let isHead: Bool
    }

    /// The weight matrices alone, layers then heads: no biases, no batch-norm state, no training
    /// record, no provenance. For spectra over thousands of checkpoints, where opening and reading
    /// the file is most of the work. Safe to call from several threads at once.
    ///
    /// A small file in the classic HDF5 layout (every nnprobe checkpoint, and h5py's by default) is
    /// read without the HDF5 library (`ClassicHDF5Image`), so calls run in parallel; any other file,
    /// and any file with a problem, is read with the library, which words the error.
    ///
    /// The file is checked as `read(from:)` checks it (an nnprobe checkpoint of a version this build
    /// reads), and every matrix must be 2-D; shapes are not checked against each other.
    public static func readWeights(from path: String) throws -> [NamedWeight] {
        let bytes = try? HDF5File.smallFileBytes(path)
        if let bytes, let weights = try? readWeightsWithoutLibrary(bytes) { return weights }
        return try readWeightsWithLibrary(from: path, contents: bytes)
    }

    /// `readWeights` through the HDF5 library, whatever the file's layout; `contents` are the
    /// file's bytes when already read whole.
    static func readWeightsWithLibrary(from path: String, contents: [UInt8]? = nil) throws -> [NamedWeight] {
        let (root, _) = try NNProbeFile.open(path, expecting: .checkpoint, contents: contents)
        do {
            let model = try root.group("model")
            let layerCount = try count(model, "n_layers", file: path)
            let headCount = try count(model, "n_heads", optional: true, file: path)
            return try weightNames(layers: layerCount, heads: headCount).enumerated().map { index, name in
                NamedWeight(name: name, weight: try readMatrix(model, "\(name)/weight", file: path), isHead: index >= layerCount)
            }
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// `layer_0` … `layer_{layers-1}`, then `head_0` … `head_{heads-1}`.
    private static func weightNames(layers: Int, heads: Int) -> [String] {
        (0..<layers).map { "layer_\($0)" } + (0..<heads).map { "head_\($0)" }
    }

    /// `readWeights` of a file's `bytes` in the classic layout (`ClassicHDF5Image`); unsupported for
    /// anything unexpected, including everything the library path rejects, so that path says what is wrong.
    static func readWeightsWithoutLibrary(_ bytes: [UInt8]) throws(ClassicHDF5Image.Unsupported) -> [NamedWeight] {
        let image = try ClassicHDF5Image(bytes)
        let root = try image.root()
        guard let format = try root.attribute("format"), let version = try root.attribute("format_version"),
              try image.string(format) == NNProbeFileKind.checkpoint.rawValue,
              (1...NNProbeFileKind.checkpoint.formatVersion).contains(try image.integer(version)) else {
            throw ClassicHDF5Image.Unsupported()
        }
        let model = try image.object("model", in: root)
        guard let layers = try model.attribute("n_layers") else { throw ClassicHDF5Image.Unsupported() }
        let layerCount = try image.integer(layers)
        let headCount = try model.attribute("n_heads").map { attribute throws(ClassicHDF5Image.Unsupported) in try image.integer(attribute) } ?? 0
        guard (0...10_000).contains(layerCount), (0...10_000).contains(headCount) else { throw ClassicHDF5Image.Unsupported() }
        var weights: [NamedWeight] = []
        for (index, name) in weightNames(layers: Int(layerCount), heads: Int(headCount)).enumerated() {
            let (shape, values) = try image.floats(try image.object("\(name)/weight", in: model))
            guard shape.count == 2 else { throw ClassicHDF5Image.Unsupported() }
            weights.append(NamedWeight(name: name, weight: Matrix(rows: shape[0], cols: shape[1], storage: values), isHead: index >= layerCount))
        }
        return weights
    }
}
