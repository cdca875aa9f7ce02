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
    /// reads), every matrix must be 2-D and hold exactly its stored data, and the shapes must chain
    /// as the model's do (`chainProblem`).
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
            let weights = try weightNames(layers: layerCount, heads: headCount).enumerated().map { index, name in
                NamedWeight(name: name, weight: try readMatrix(model, "\(name)/weight", file: path), isHead: index >= layerCount)
            }
            let sources = try (0..<headCount).map { try model.group("head_\($0)").integerAttribute("source_layer") }
            if let problem = chainProblem(weights, headSources: sources) { throw FileFormatError(file: path, "model/\(problem)") }
            return weights
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
        let sources = try (0..<Int(headCount)).map { index throws(ClassicHDF5Image.Unsupported) in
            guard let source = try image.object("head_\(index)", in: model).attribute("source_layer") else { throw ClassicHDF5Image.Unsupported() }
            return try image.integer(source)
        }
        guard chainProblem(weights, headSources: sources) == nil else { throw ClassicHDF5Image.Unsupported() }
        return weights
    }

    /// The first way `weights` (layers, then heads reading `headSources`) do not fit together as a
    /// model's do, worded as `MLP.shapeProblems` words it; nil when they fit. Layer i takes what
    /// layer i − 1 gives, a head takes its source layer's width, and every head has head_0's outputs.
    static func chainProblem(_ weights: [NamedWeight], headSources: [Int64]) -> String? {
        let layers = weights.filter { !$0.isHead }.map(\.weight)
        let heads = weights.filter(\.isHead).map(\.weight)
        for i in layers.indices.dropFirst() where layers[i].cols != layers[i - 1].rows {
            return "layer_\(i): weight takes \(layers[i].cols) inputs but layer_\(i - 1) gives \(layers[i - 1].rows)"
        }
        for (k, head) in heads.enumerated() {
            let source = k < headSources.count ? headSources[k] : -1
            guard source >= 0, source < Int64(layers.count) else {
                return "head_\(k): source_layer \(source) is not a layer (0..<\(layers.count))"
            }
            if head.cols != layers[Int(source)].rows {
                return "head_\(k): weight takes \(head.cols) inputs but layer_\(source) gives \(layers[Int(source)].rows)"
            }
            if head.rows != heads[0].rows { return "head_\(k): \(head.rows) outputs, head_0 has \(heads[0].rows)" }
        }
        return nil
    }
}
