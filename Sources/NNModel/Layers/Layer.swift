/// One operation of a model, described by its hyper-parameters; its input shape comes from
/// the layer before it (see `LayerStack`).
public enum Layer: Equatable, Sendable {
    /// y = W x + b on flat features (W: outputs × inputs).
    case linear(outputs: Int)
    /// 2-D convolution, PyTorch's `Conv2d` (weight: out × in × k × k, bias optional).
    case conv2d(channels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true)
    /// Batch norm per channel (`BatchNorm1d` on flat features, `BatchNorm2d` on images), ε = 1e-5, momentum 0.1.
    case batchNorm
    case activation(Activation)
    case maxPool(kernel: Int, stride: Int, padding: Int = 0)
    /// Average pooling, padding counted in the divisor (PyTorch's default).
    case avgPool(kernel: Int, stride: Int, padding: Int = 0)
    /// The mean of each channel: C × H × W → C.
    case globalAvgPool
    /// C × H × W → C·H·W flat features (a view: no values move).
    case flatten
    /// Zeroes each value with probability p during training, scaling the rest by 1/(1 − p).
    case dropout(Double)

    /// The output shape for `input`, or why the layer cannot take it.
    public func output(for input: FeatureShape) -> Result<FeatureShape, LayerShapeError> {
        func window(_ k: Int, _ s: Int, _ p: Int) -> ConvGeometry {
            ConvGeometry(channels: input.channels, height: input.height, width: input.width, kernel: k, stride: s, padding: p)
        }
        switch self {
        case .linear(let outputs):
            guard input.isFlat else { return .failure(.init("linear needs flat features, not \(input) (flatten or pool first)")) }
            guard outputs >= 1 else { return .failure(.init("linear needs at least 1 output")) }
            return .success(FeatureShape(channels: outputs))
        case .conv2d(let channels, let k, let s, let p, _):
            guard channels >= 1 else { return .failure(.init("conv2d needs at least 1 output channel")) }
            if let problem = window(k, s, p).problem { return .failure(.init("conv2d: \(problem)")) }
            let g = window(k, s, p)
            return .success(FeatureShape(channels: channels, height: g.outHeight, width: g.outWidth))
        case .maxPool(let k, let s, let p), .avgPool(let k, let s, let p):
            if let problem = window(k, s, p).problem { return .failure(.init("pooling: \(problem)")) }
            if 2 * p > k { return .failure(.init("pooling: padding \(p) is more than half the kernel \(k)")) }
            let g = window(k, s, p)
            return .success(FeatureShape(channels: input.channels, height: g.outHeight, width: g.outWidth))
        case .globalAvgPool, .flatten:
            return .success(FeatureShape(channels: self == .flatten ? input.count : input.channels))
        case .batchNorm, .activation:
            return .success(input)
        case .dropout(let p):
            guard (0..<1).contains(p) else { return .failure(.init("dropout \(p) must be in [0, 1)")) }
            return .success(input)
        }
    }

    /// The trainable tensors for `input` (name and PyTorch shape), in buffer order.
    public func parameters(for input: FeatureShape) -> [(name: String, shape: [Int])] {
        switch self {
        case .linear(let outputs): [("weight", [outputs, input.count]), ("bias", [outputs])]
        case .conv2d(let channels, let k, _, _, let bias):
            [("weight", [channels, input.channels, k, k])] + (bias ? [("bias", [channels])] : [])
        case .batchNorm: [("weight", [input.channels]), ("bias", [input.channels])]
        default: []
        }
    }

    /// Non-trainable state values (batch norm's running mean and variance).
    public func stateCount(for input: FeatureShape) -> Int { self == .batchNorm ? 2 * input.channels : 0 }
}

/// Why a layer cannot take its input.
public struct LayerShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
