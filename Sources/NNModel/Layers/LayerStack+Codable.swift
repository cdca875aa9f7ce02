import Foundation

/// The stored description of a stack (checkpoint format 2's `/model/@stack`): JSON objects with
/// snake_case keys, one per layer `{"op": "conv2d", "channels": 16, "kernel": 3, …}`.
extension Layer: Codable {
    private enum Key: String, CodingKey {
        case op, outputs, channels, kernel, stride, padding, bias, activation, rate
    }

    /// The op's name in files: `linear`, `conv2d`, `batch_norm`, `activation`, `max_pool`,
    /// `avg_pool`, `global_avg_pool`, `flatten`, `dropout`.
    public var op: String {
        switch self {
        case .linear: "linear"
        case .conv2d: "conv2d"
        case .batchNorm: "batch_norm"
        case .activation: "activation"
        case .maxPool: "max_pool"
        case .avgPool: "avg_pool"
        case .globalAvgPool: "global_avg_pool"
        case .flatten: "flatten"
        case .dropout: "dropout"
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(op, forKey: .op)
        switch self {
        case .linear(let outputs): try c.encode(outputs, forKey: .outputs)
        case .conv2d(let channels, let kernel, let stride, let padding, let bias):
            try c.encode(channels, forKey: .channels)
            try c.encode(kernel, forKey: .kernel)
            try c.encode(stride, forKey: .stride)
            try c.encode(padding, forKey: .padding)
            try c.encode(bias, forKey: .bias)
        case .maxPool(let kernel, let stride, let padding), .avgPool(let kernel, let stride, let padding):
            try c.encode(kernel, forKey: .kernel)
            try c.encode(stride, forKey: .stride)
            try c.encode(padding, forKey: .padding)
        case .activation(let activation): try c.encode(activation, forKey: .activation)
        case .dropout(let rate): try c.encode(rate, forKey: .rate)
        case .batchNorm, .globalAvgPool, .flatten: break
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let op = try c.decode(String.self, forKey: .op)
        func int(_ key: Key) throws -> Int { try c.decode(Int.self, forKey: key) }
        switch op {
        case "linear": self = .linear(outputs: try int(.outputs))
        case "conv2d":
            self = .conv2d(channels: try int(.channels), kernel: try int(.kernel), stride: try int(.stride),
                           padding: try int(.padding), bias: try c.decode(Bool.self, forKey: .bias))
        case "batch_norm": self = .batchNorm
        case "activation": self = .activation(try c.decode(Activation.self, forKey: .activation))
        case "max_pool": self = .maxPool(kernel: try int(.kernel), stride: try int(.stride), padding: try int(.padding))
        case "avg_pool": self = .avgPool(kernel: try int(.kernel), stride: try int(.stride), padding: try int(.padding))
        case "global_avg_pool": self = .globalAvgPool
        case "flatten": self = .flatten
        case "dropout": self = .dropout(try c.decode(Double.self, forKey: .rate))
        default:
            throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription: "unknown layer op '\(op)'")
        }
    }
}

extension Block: Codable {
    private enum Key: String, CodingKey { case main, shortcut, after, zeroInitResidual = "zero_init_residual" }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(main, forKey: .main)
        try c.encode(shortcut, forKey: .shortcut)   // null: no residual connection; []: identity
        try c.encode(after, forKey: .after)
        try c.encode(zeroInitResidual, forKey: .zeroInitResidual)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(try c.decode([Layer].self, forKey: .main), shortcut: try c.decodeIfPresent([Layer].self, forKey: .shortcut),
                  after: try c.decodeIfPresent([Layer].self, forKey: .after) ?? [],
                  zeroInitResidual: try c.decodeIfPresent(Bool.self, forKey: .zeroInitResidual) ?? false)
    }
}

extension LayerStack.Head: Codable {
    private enum Key: String, CodingKey { case source, layers, outputs }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(source, forKey: .source)
        try c.encode(layers, forKey: .layers)
        try c.encode(outputs, forKey: .outputs)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(source: try c.decode(Int.self, forKey: .source), layers: try c.decodeIfPresent([Layer].self, forKey: .layers) ?? [],
                  outputs: try c.decode(Int.self, forKey: .outputs))
    }
}

extension LayerStack: Codable {
    private enum Key: String, CodingKey { case input, blocks, heads }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode([input.channels, input.height, input.width], forKey: .input)
        try c.encode(blocks, forKey: .blocks)
        try c.encode(heads, forKey: .heads)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let shape = try c.decode([Int].self, forKey: .input)
        guard shape.count == 3 else {
            throw DecodingError.dataCorruptedError(forKey: .input, in: c, debugDescription: "input is [channels, height, width]")
        }
        self.init(input: FeatureShape(channels: shape[0], height: shape[1], width: shape[2]),
                  blocks: try c.decode([Block].self, forKey: .blocks), heads: try c.decodeIfPresent([Head].self, forKey: .heads) ?? [])
    }

    /// The description as compact JSON with sorted keys (the same stack gives the same bytes).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The stack a `jsonText()` describes; sizes are checked before anything is built from them
    /// (`sizeProblem`).
    public init(jsonText: String) throws {
        self = try JSONDecoder().decode(LayerStack.self, from: Data(jsonText.utf8))
    }

    /// Why the stack is too big or malformed to build (a size outside 1…2³⁰, a parameter count or
    /// activation size over 2³¹), or nil — checked in Float64 before any buffer is allocated.
    public var sizeProblem: String? {
        let limit = Double(1 << 30)
        let sizes = [input.channels, input.height, input.width]
        guard sizes.allSatisfy({ $0 >= 1 && Double($0) <= limit }) else { return "input shape \(sizes) is not 1…2³⁰ per axis" }
        for layer in blocks.flatMap({ $0.main + ($0.shortcut ?? []) + $0.after }) + heads.flatMap(\.layers) {
            switch layer {
            case .linear(let n), .conv2d(let n, _, _, _, _):
                guard n >= 1, Double(n) <= limit else { return "\(layer.op) with \(n) outputs" }
            default: break
            }
            switch layer {
            case .conv2d(_, let k, let s, let p, _), .maxPool(let k, let s, let p), .avgPool(let k, let s, let p):
                guard k >= 1, k <= 4096, s >= 1, s <= 4096, p >= 0, p <= 4096 else { return "\(layer.op) with kernel \(k), stride \(s), padding \(p)" }
            default: break
            }
        }
        guard heads.allSatisfy({ $0.outputs >= 1 && Double($0.outputs) <= limit }) else { return "a head with no outputs or too many" }
        guard Double(input.channels) * Double(input.height) * Double(input.width) <= Double(Int32.max) else { return "inputs of \(input) are too large" }
        guard case .success(let placed) = layers() else { return nil }   // shape errors are reported by `layers()`
        var parameters = 0.0
        for p in placed {
            guard Double(p.output.channels) * Double(p.output.height) * Double(p.output.width) <= Double(Int32.max) else {
                return "\(p.name) gives \(p.output) values per example"
            }
            for tensor in p.layer.parameters(for: p.input) { parameters += tensor.shape.reduce(1.0) { $0 * Double($1) } }
        }
        return parameters <= Double(Int32.max) ? nil : "\(parameters) parameters"
    }
}
