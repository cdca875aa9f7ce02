import Foundation
import NNLinalg

/// One model tensor as stored: `layer_0/weight`, `layer_0/bias`, …, `head_0/weight`, ….
public struct NamedTensor: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// A checkpoint's model tensors alone (no training record): what a pack holds per run.
public struct PackedModel: Sendable, Equatable {
    public let layers: Int
    public let heads: Int
    /// Layers then heads; in each, `weight`, `bias`, then batch-norm tensors where present.
    public let tensors: [NamedTensor]
    /// The run's seed, where the pack records it (format 2, a checkpoint read whole when packed);
    /// not part of the model: `==` compares the tensors alone.
    public var seed: Int64?

    public init(layers: Int, heads: Int, tensors: [NamedTensor]) {
        self.layers = layers
        self.heads = heads
        self.tensors = tensors
    }

    public static func == (a: PackedModel, b: PackedModel) -> Bool {
        a.layers == b.layers && a.heads == b.heads && a.tensors == b.tensors
    }

    /// The tensor called `name` (`layer_1/bias`), if stored.
    public func tensor(_ name: String) -> NamedTensor? { tensors.first { $0.name == name } }

    /// The weight matrices, as `Checkpoint.readWeights` returns them.
    public var weights: [Checkpoint.NamedWeight] {
        ((0..<layers).map { "layer_\($0)" } + (0..<heads).map { "head_\($0)" }).enumerated().compactMap { index, name in
            guard let w = tensor("\(name)/weight"), w.shape.count == 2 else { return nil }
            return Checkpoint.NamedWeight(name: name, weight: Matrix(rows: w.shape[0], cols: w.shape[1], storage: w.values),
                                          isHead: index >= layers)
        }
    }

    /// What distinguishes one shape group from another: layer and head counts, tensor names and shapes.
    var signature: String {
        "\(layers) \(heads) " + tensors.map { "\($0.name)\($0.shape)" }.joined(separator: " ")
    }
}

extension Checkpoint {
    /// The model tensors stored under a layer or head group, in this order, when present.
    static let modelTensorNames = ["weight", "bias", "gamma", "beta", "running_mean", "running_var"]

    /// The model's tensors of the checkpoint at `path`, checked as `readWeights` checks them
    /// (an nnprobe checkpoint this build reads, 2-D weights); float32 as stored.
    public static func readModelTensors(from path: String) throws -> PackedModel {
        try readModelTensors(root: NNProbeFile.open(path, expecting: .checkpoint).root, file: path)
    }

    /// The model's tensors under `root`, the opened checkpoint `path`.
    static func readModelTensors(root: HDF5Group, file path: String) throws -> PackedModel {
        do {
            let model = try root.group("model")
            if try model.hasAttribute("stack") {
                throw FileFormatError(file: path, "a conv net's checkpoint (format 2): packs hold MLP checkpoints only; analyses read conv checkpoints one by one")
            }
            let layers = Int(try model.integerAttribute("n_layers"))
            let heads = try model.hasAttribute("n_heads") ? Int(try model.integerAttribute("n_heads")) : 0
            guard (0...100_000).contains(layers), (0...100_000).contains(heads) else {
                throw FileFormatError(file: path, "/model: n_layers \(layers), n_heads \(heads) are not plausible")
            }
            var tensors: [NamedTensor] = []
            for group in (0..<layers).map({ "layer_\($0)" }) + (0..<heads).map({ "head_\($0)" }) {
                let g = try model.group(group)
                var outputs = 0
                for name in modelTensorNames where try name == "weight" || g.kind(of: name) == .dataset {
                    let (shape, values) = try g.dataset(name).readWithShape(as: Float.self)
                    if name == "weight" {
                        guard shape.count == 2 else {
                            throw FileFormatError(file: path, "/model/\(group)/weight: shape \(shape), expected (out, in)")
                        }
                        outputs = shape[0]
                    } else if shape != [outputs] {
                        throw FileFormatError(file: path, "/model/\(group)/\(name): shape \(shape), expected (\(outputs))")
                    }
                    tensors.append(NamedTensor(name: "\(group)/\(name)", shape: shape, values: values))
                }
            }
            // The shapes must chain as `readWeights` requires, so that a file it refuses is never packed.
            let packed = PackedModel(layers: layers, heads: heads, tensors: tensors)
            let sources = try (0..<heads).map { try model.group("head_\($0)").integerAttribute("source_layer") }
            if let problem = chainProblem(packed.weights, headSources: sources) { throw FileFormatError(file: path, "model/\(problem)") }
            return packed
        } catch let error as HDF5Error {
            throw FileFormatError(file: path, "\(error.object): cannot \(error.operation): \(error.message)")
        }
    }
}
