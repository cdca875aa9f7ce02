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
    /// record, no provenance. For spectra over many checkpoints (a directory's pack, `WeightPack`,
    /// holds them all in one file). Safe to call from several threads at once (HDF5 calls are
    /// serialised).
    ///
    /// The file is checked as `read(from:)` checks it (an nnprobe checkpoint of a version this build
    /// reads), and every matrix must be 2-D; shapes are not checked against each other.
    public static func readWeights(from path: String) throws -> [NamedWeight] {
        try readWeightsWithLibrary(from: path, contents: try? HDF5File.smallFileBytes(path))
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
}
