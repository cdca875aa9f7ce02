import Foundation
import NNLinalg
import NNModel

/// One tensor of a safetensors file, converted to Float64.
public struct SafeTensor: Sendable {
    public let name: String
    /// `F32`, `F64`, `F16` or `BF16`.
    public let dtype: String
    public let shape: [Int]
    public let values: [Double]
}

/// Reads safetensors files (PyTorch / Hugging Face): an 8-byte little-endian header length, a
/// JSON header mapping each name to `dtype`, `shape` and `data_offsets` (into the bytes after
/// the header), then raw little-endian data. Tensors are returned in natural name order
/// (`layers.2` before `layers.10`).
public enum SafeTensors {
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
            let size: Int
            switch dtype {
            case "F32": size = 4
            case "F64": size = 8
            case "F16", "BF16": size = 2
            default: throw FileFormatError(file: path, "tensor '\(name)' has dtype \(dtype); nnprobe reads F32, F64, F16 and BF16")
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
                default: Double(Float(bitPattern: UInt32(word(i, 2)) << 16))
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

    /// An MLP from the file's `*.weight` / `*.bias` pairs in order: every layer but the last uses
    /// `activation`, the last is the identity output layer.
    public static func mlp(from tensors: [SafeTensor], activation: Activation, file: String) throws -> MLP {
        let weights = tensors.filter { $0.name.hasSuffix("weight") && $0.shape.count == 2 }
        guard !weights.isEmpty else { throw FileFormatError(file: file, "no 2-D '*.weight' tensors to import") }
        var layers: [DenseLayer] = []
        for (i, w) in weights.enumerated() {
            let prefix = String(w.name.dropLast("weight".count))
            let bias = tensors.first { $0.name == prefix + "bias" }
            if let bias, bias.shape != [w.shape[0]] {
                throw FileFormatError(file: file, "'\(bias.name)' has shape \(bias.shape), expected [\(w.shape[0])] to match '\(w.name)'")
            }
            layers.append(DenseLayer(
                weight: Matrix(rows: w.shape[0], cols: w.shape[1], storage: w.values.map { Float($0) }),
                bias: bias?.values.map { Float($0) } ?? Array(repeating: 0, count: w.shape[0]),
                activation: i == weights.count - 1 ? .identity : activation))
        }
        let model = MLP(layers: layers)
        if let problem = model.shapeProblems().first {
            let order = weights.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
            throw FileFormatError(file: file, "the weights do not chain into an MLP in name order (\(order)): \(problem)")
        }
        return model
    }
}
