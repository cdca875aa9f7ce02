/// A layer written as a short spec — `conv2d:16:3:1:1`, `batchnorm`, `relu`, `maxpool:2`,
/// `flatten`, `linear:10` — the syntax `nnprobe import --layers` reads, one spec per
/// `nn.Sequential` module, comma-separated:
///
/// | spec | PyTorch module |
/// | --- | --- |
/// | `conv2d:OUT:K[:STRIDE[:PADDING]]` | `Conv2d(in, OUT, K, stride=1, padding=0)` |
/// | `linear:OUT` | `Linear(in, OUT)` |
/// | `batchnorm` (`batchnorm1d`, `batchnorm2d`) | `BatchNorm1d` / `BatchNorm2d` |
/// | `relu`, `tanh`, `gelu`, `identity` | the activation |
/// | `maxpool:K[:STRIDE[:PADDING]]` | `MaxPool2d(K, stride=K, padding=0)` |
/// | `avgpool:K[:STRIDE[:PADDING]]` | `AvgPool2d(K, stride=K, padding=0)` |
/// | `globalavgpool` | `AdaptiveAvgPool2d(1)` followed by `Flatten()` |
/// | `flatten` | `Flatten()` |
/// | `dropout:P` | `Dropout(P)` |
///
/// Names are case-insensitive, so `Conv2d`, `BatchNorm2d`, `ReLU` and `MaxPool2d` read too. A
/// conv's spec says nothing of its bias: `bias` is true here and the importer sets it from the file.
extension Layer {
    /// The layers of a comma-separated list of specs, or the first spec that does not read.
    public static func list(specs text: String) throws -> [Layer] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try items.enumerated().map { i, item in
            do { return try Layer(spec: item) } catch let error as LayerSpecError {
                throw LayerSpecError("item \(i + 1) '\(item)': \(error.description)")
            }
        }
    }

    /// The layer one spec describes (see the table above).
    public init(spec: String) throws {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let name = parts[0].lowercased()
        let arguments = Array(parts.dropFirst())
        func ints(_ required: Int, _ optional: Int, _ usage: String) throws -> [Int] {
            guard (required...(required + optional)).contains(arguments.count) else { throw LayerSpecError("expected \(usage)") }
            return try arguments.map { text in
                guard let value = Int(text), (0...(1 << 30)).contains(value) else { throw LayerSpecError("'\(text)' is not a size (expected \(usage))") }
                return value
            }
        }
        func window(_ usage: String) throws -> (kernel: Int, stride: Int, padding: Int) {
            let v = try ints(1, 2, usage)
            return (v[0], v.count > 1 ? v[1] : v[0], v.count > 2 ? v[2] : 0)
        }
        switch name {
        case "conv2d", "conv":
            let v = try ints(2, 2, "conv2d:OUT:K[:STRIDE[:PADDING]]")
            self = .conv2d(channels: v[0], kernel: v[1], stride: v.count > 2 ? v[2] : 1, padding: v.count > 3 ? v[3] : 0, bias: true)
        case "linear":
            self = .linear(outputs: try ints(1, 0, "linear:OUT")[0])
        case "batchnorm", "batchnorm1d", "batchnorm2d", "bn":
            _ = try ints(0, 0, "\(name) with no arguments")
            self = .batchNorm
        case "maxpool", "maxpool2d":
            let w = try window("maxpool:K[:STRIDE[:PADDING]]")
            self = .maxPool(kernel: w.kernel, stride: w.stride, padding: w.padding)
        case "avgpool", "avgpool2d":
            let w = try window("avgpool:K[:STRIDE[:PADDING]]")
            self = .avgPool(kernel: w.kernel, stride: w.stride, padding: w.padding)
        case "globalavgpool":
            _ = try ints(0, 0, "globalavgpool with no arguments")
            self = .globalAvgPool
        case "flatten":
            _ = try ints(0, 0, "flatten with no arguments")
            self = .flatten
        case "dropout":
            guard arguments.count == 1, let p = Double(arguments[0]), (0..<1).contains(p) else { throw LayerSpecError("expected dropout:P with P in [0, 1)") }
            self = .dropout(p)
        default:
            guard let activation = Activation(rawValue: name) else {
                throw LayerSpecError("unknown layer '\(parts[0])'; use conv2d, linear, batchnorm, relu, tanh, gelu, identity, maxpool, avgpool, globalavgpool, flatten or dropout")
            }
            _ = try ints(0, 0, "\(name) with no arguments")
            self = .activation(activation)
        }
    }

    /// The layer as a spec (`conv2d:16:3:1:1`), which `init(spec:)` reads back.
    public var spec: String {
        switch self {
        case .linear(let outputs): "linear:\(outputs)"
        case .conv2d(let channels, let kernel, let stride, let padding, _): "conv2d:\(channels):\(kernel):\(stride):\(padding)"
        case .batchNorm: "batchnorm"
        case .activation(let activation): activation.rawValue
        case .maxPool(let kernel, let stride, let padding): "maxpool:\(kernel):\(stride):\(padding)"
        case .avgPool(let kernel, let stride, let padding): "avgpool:\(kernel):\(stride):\(padding)"
        case .globalAvgPool: "globalavgpool"
        case .flatten: "flatten"
        case .dropout(let p): "dropout:\(p)"
        }
    }
}

/// A layer spec that does not read, with the reason.
public struct LayerSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
