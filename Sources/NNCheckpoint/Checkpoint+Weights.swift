import NNLinalg
import NNModel

extension Checkpoint {
    /// One weight matrix of a checkpoint, named as every subcommand names it.
    public struct NamedWeight: Sendable {
        /// `layer_0`, `layer_1`, …, then `head_0`, ….
        public let name: String
        public let weight: Matrix<Float>
        public let isHead: Bool
        /// A conv kernel's shape as stored, [out, in, kh, kw] (`weight` holds it flattened to
        /// out × in·kh·kw); nil for a linear layer's weight.
        public var kernelShape: [Int]? = nil
    }

    /// The weight matrices alone, layers then heads: no biases, no batch-norm state, no training
    /// record, no provenance. For spectra over many checkpoints (a directory's pack, `WeightPack`,
    /// holds them all in one file). Safe to call from several threads at once (HDF5 calls are
    /// serialised).
    ///
    /// The file is checked as `read(from:)` checks it (an nnprobe checkpoint of a version this build
    /// reads), every matrix must be 2-D and hold exactly its stored data, and the shapes must chain
    /// as the model's do (`chainProblem`).
    public static func readWeights(from path: String) throws -> [NamedWeight] {
        try readWeightsAndSeed(from: path).weights
    }

    /// `readWeights`, and the run's seed (the file's `seed` attribute; nil where the file has
    /// none, as `readWeights` does not require it): what names a run in analyses over many checkpoints.
    /// For a conv net (format 2) also its `LayerModel`, read on the way: where each kernel applies.
    public static func readWeightsAndSeed(from path: String) throws -> (weights: [NamedWeight], seed: Int64?, layers: LayerModel?) {
        try readWeightsAndSeedWithLibrary(from: path, contents: try? HDF5File.smallFileBytes(path))
    }

    /// `readWeights` through the HDF5 library, whatever the file's layout.
    static func readWeightsWithLibrary(from path: String) throws -> [NamedWeight] {
        try readWeightsAndSeedWithLibrary(from: path).weights
    }

    /// `readWeightsAndSeed` through the HDF5 library, whatever the file's layout; `contents` are the
    /// file's bytes when already read whole.
    static func readWeightsAndSeedWithLibrary(from path: String, contents: [UInt8]? = nil) throws
        -> (weights: [NamedWeight], seed: Int64?, layers: LayerModel?) {
        let (root, _) = try NNProbeFile.open(path, expecting: .checkpoint, contents: contents)
        do {
            let model = try root.group("model")
            if try model.hasAttribute("kind"), try model.stringAttribute("kind") == "layers" {
                let layers = try readLayers(model, file: path)
                return (try layerWeights(layers), try root.hasAttribute("seed") ? root.integerAttribute("seed") : nil, layers)
            }
            let layerCount = try count(model, "n_layers", file: path)
            let headCount = try count(model, "n_heads", optional: true, file: path)
            let weights = try weightNames(layers: layerCount, heads: headCount).enumerated().map { index, name in
                NamedWeight(name: name, weight: try readMatrix(model, "\(name)/weight", file: path), isHead: index >= layerCount)
            }
            let sources = try (0..<headCount).map { try model.group("head_\($0)").integerAttribute("source_layer") }
            if let problem = chainProblem(weights, headSources: sources) { throw FileFormatError(file: path, "model/\(problem)") }
            return (weights, try root.hasAttribute("seed") ? root.integerAttribute("seed") : nil, nil)
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }

    /// A format-2 model's weight matrices in execution order, named by layer (`block2.main.0`,
    /// `head1.1`): linear weights as they are, conv weights flattened to out × (in·k·k) — the
    /// matrix PyTorch's `spectral_norm` takes. Heads' read-outs are the heads.
    public static func layerWeights(_ model: LayerModel) throws -> [NamedWeight] {
        let network = try LayerNetwork<Float>(model)
        return network.steps.compactMap { step in
            guard let weight = step.weight, weight.shape.count >= 2 else { return nil }
            let rows = weight.shape[0]
            return NamedWeight(name: step.name,
                               weight: Matrix(rows: rows, cols: weight.count / rows,
                                              storage: Array(model.parameters[weight.offset..<(weight.offset + weight.count)])),
                               isHead: step.name.hasPrefix("head"), kernelShape: weight.shape.count == 4 ? weight.shape : nil)
        }
    }

    /// `layer_0` … `layer_{layers-1}`, then `head_0` … `head_{heads-1}`.
    private static func weightNames(layers: Int, heads: Int) -> [String] {
        (0..<layers).map { "layer_\($0)" } + (0..<heads).map { "head_\($0)" }
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
