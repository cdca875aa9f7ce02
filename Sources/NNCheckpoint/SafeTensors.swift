import Foundation
import NNLinalg
import NNModel

/// One tensor of a safetensors file, converted to Float64.
public struct SafeTensor: Sendable {
    public let name: String
    /// `F32`, `F64`, `F16`, `BF16`, or an integer type (`I64`, `I32`, `U8`: counters such as
    /// batch norm's `num_batches_tracked`).
    public let dtype: String
    public let shape: [Int]
    public let values: [Double]
}

/// Reads safetensors files (PyTorch / Hugging Face): an 8-byte little-endian header length, a
/// JSON header mapping each name to `dtype`, `shape` and `data_offsets` (into the bytes after
/// the header), then raw little-endian data. Tensors are returned in natural name order
/// (`layers.2` before `layers.10`).
public enum SafeTensors {
    /// Bytes per value of each dtype read.
    static let sizes = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "U8": 1]

    public static func read(_ path: String) throws -> [SafeTensor] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FileFormatError(file: path, "no such file") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw FileFormatError(file: path, "not a safetensors file (shorter than its 8-byte header length)") }
        let headerLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw FileFormatError(file: path, "corrupt safetensors header: length \(headerLength) exceeds the file's \(bytes.count - 8) remaining bytes")
        }
        let headerEnd = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) as? [String: Any] else {
            throw FileFormatError(file: path, "corrupt safetensors header: not a JSON object")
        }
        let buffer = bytes[headerEnd...]
        var tensors: [SafeTensor] = []
        for (name, entry) in header where name != "__metadata__" {
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2
            else { throw FileFormatError(file: path, "corrupt safetensors header: entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let size = Self.sizes[dtype] else {
                throw FileFormatError(file: path, "tensor '\(name)' has dtype \(dtype); nnprobe reads F32, F64, F16, BF16, I64, I32 and U8")
            }
            // Every size and offset is checked before any arithmetic that could overflow.
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw FileFormatError(file: path, "corrupt safetensors header: '\(name)' has shape \(shape) (a negative dimension)")
            }
            let (count, bytesNeeded) = Self.extent(shape, size)
            guard let count, let bytesNeeded else {
                throw FileFormatError(file: path, "corrupt safetensors header: '\(name)' has shape \(shape), more values than any file holds")
            }
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] <= buffer.count, offsets[1] - offsets[0] == bytesNeeded else {
                throw FileFormatError(file: path, "corrupt safetensors header: '\(name)' offsets \(offsets) do not hold \(count) \(dtype) values in \(buffer.count) data bytes")
            }
            let start = buffer.startIndex + offsets[0]
            func word(_ i: Int, _ width: Int) -> UInt64 {
                (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[start + i * width + $1]) << (8 * UInt64($1)) }
            }
            let values: [Double] = (0..<count).map { i in
                switch dtype {
                case "F32": Double(Float(bitPattern: UInt32(word(i, 4))))
                case "F64": Double(bitPattern: word(i, 8))
                case "F16": Double(Float(Float16(bitPattern: UInt16(word(i, 2)))))
                case "BF16": Double(Float(bitPattern: UInt32(word(i, 2)) << 16))
                case "I64": Double(Int64(bitPattern: word(i, 8)))
                case "I32": Double(Int32(bitPattern: UInt32(word(i, 4))))
                default: Double(word(i, 1))
                }
            }
            tensors.append(SafeTensor(name: name, dtype: dtype, shape: shape, values: values))
        }
        return tensors.sortedNaturally(by: \.name)
    }

    /// The value count of `shape` and its bytes at `size` bytes each; nil where a product overflows.
    static func extent(_ shape: [Int], _ size: Int) -> (count: Int?, bytes: Int?) {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { return (nil, nil) }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        return (count, overflow ? nil : bytes)
    }

    /// An MLP from the file's modules in natural name order (`0.weight`, `1.running_mean`, …):
    /// a module with a 2-D `weight` (and `bias`) is an `nn.Linear`; one with a 1-D `weight`,
    /// `bias`, `running_mean` and `running_var` is an `nn.BatchNorm1d` on the linear layer before
    /// it (`num_batches_tracked` is ignored). Every layer but the last uses `activation`, the last
    /// is the identity output layer. Any other tensor is refused, naming it: no layer is dropped.
    public static func mlp(from tensors: [SafeTensor], activation: Activation, file: String) throws -> MLP {
        var modules: [(prefix: String, tensors: [String: SafeTensor])] = []
        for t in tensors {
            let prefix = t.name.split(separator: ".").dropLast().joined(separator: ".")
            if modules.last?.prefix != prefix { modules.append((prefix, [:])) }
            modules[modules.count - 1].tensors[String(t.name.split(separator: ".").last ?? "")] = t
        }
        var layers: [DenseLayer] = []
        for (prefix, parts) in modules {
            let name = { (part: String) in prefix.isEmpty ? part : "\(prefix).\(part)" }
            var rest = Set(parts.keys).subtracting(["num_batches_tracked"])
            if let w = parts["weight"], w.shape.count == 2 {
                let bias = parts["bias"]
                if let bias, bias.shape != [w.shape[0]] {
                    throw FileFormatError(file: file, "'\(bias.name)' has shape \(bias.shape), expected [\(w.shape[0])] to match '\(w.name)'")
                }
                layers.append(DenseLayer(weight: Matrix(rows: w.shape[0], cols: w.shape[1], storage: w.values.map { Float($0) }),
                                         bias: bias?.values.map { Float($0) } ?? Array(repeating: 0, count: w.shape[0]),
                                         activation: activation))
                rest.subtract(["weight", "bias"])
            } else if let gamma = parts["weight"], let beta = parts["bias"], let mean = parts["running_mean"],
                      let variance = parts["running_var"], gamma.shape.count == 1 {
                let width = gamma.shape[0]
                guard let last = layers.indices.last, layers[last].outputs == width, layers[last].batchNorm == nil else {
                    throw FileFormatError(file: file, "batch norm '\(prefix)' (\(width) features) does not follow a linear layer of \(width) outputs in name order")
                }
                guard [beta, mean, variance].allSatisfy({ $0.shape == [width] }) else {
                    throw FileFormatError(file: file, "batch norm '\(prefix)': weight, bias, running_mean and running_var must all have shape [\(width)]")
                }
                layers[last].batchNorm = BatchNorm(gamma: gamma.values.map { Float($0) }, beta: beta.values.map { Float($0) },
                                                   runningMean: mean.values.map { Float($0) }, runningVar: variance.values.map { Float($0) })
                rest.subtract(["weight", "bias", "running_mean", "running_var"])
            }
            if let unknown = rest.sorted().first {
                throw FileFormatError(file: file, "tensor '\(name(unknown))' is not part of a Linear or BatchNorm1d layer; nnprobe imports MLPs of those (no layer is dropped)")
            }
        }
        guard !layers.isEmpty else { throw FileFormatError(file: file, "no 2-D '*.weight' tensors to import") }
        layers[layers.count - 1].activation = .identity
        if layers[layers.count - 1].batchNorm != nil {
            throw FileFormatError(file: file, "the output layer has batch norm after it; nnprobe's output layer is linear")
        }
        let model = MLP(layers: layers)
        if let problem = model.shapeProblems().first {
            let order = layers.map { "\($0.outputs)×\($0.inputs)" }.joined(separator: ", ")
            throw FileFormatError(file: file, "the weights do not chain into an MLP in name order (\(order)): \(problem)")
        }
        return model
    }
}
