import NNLinalg

extension Checkpoint {
    /// One weight matrix of a checkpoint, named as every subcommand names it.
    public struct NamedWeight: Sendable {
        /// `layer_0`, `layer_1`, …, then `head_0`, ….
        public let name: String
        public let weight: Matrix<Float>
        public let isHead: Bool
    }

    /// The weight matrices alone, layers then heads, read with the fewest HDF5 calls: no biases,
    /// no batch-norm state, no training record, no provenance. For spectra over thousands of
    /// checkpoints, where opening and reading the file is most of the work.
    ///
    /// The file is checked as `read(from:)` checks it (an nnprobe checkpoint of a version this build
    /// reads), and every matrix must be 2-D; shapes are not checked against each other.
    public static func readWeights(from path: String) throws -> [NamedWeight] {
        let (root, _) = try NNProbeFile.open(path, expecting: .checkpoint)
        do {
            let model = try root.group("model")
            let layerCount = Int(try model.integerAttribute("n_layers"))
            let headCount = try model.hasAttribute("n_heads") ? Int(try model.integerAttribute("n_heads")) : 0
            let names = (0..<layerCount).map { "layer_\($0)" } + (0..<headCount).map { "head_\($0)" }
            return try names.enumerated().map { index, name in
                NamedWeight(name: name, weight: try readMatrix(model, "\(name)/weight", file: path), isHead: index >= layerCount)
            }
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }
}
