import NNModel

/// An MLP in evaluation mode as affine maps in Float64: batch norm folded into each layer's
/// weight and bias, dropout off. Only ReLU and identity activations are piecewise linear.
public struct PiecewiseLinearNet: Sendable {
    public struct Layer: Sendable {
        public let inputs: Int
        public let outputs: Int
        /// outputs × inputs, row-major.
        public let weight: [Double]
        public let bias: [Double]
        public let relu: Bool
        public let residual: Bool
    }

    public struct Head: Sendable {
        public let source: Int
        public let weight: [Double]
        public let bias: [Double]
        public let inputs: Int
    }

    public let layers: [Layer]
    public let heads: [Head]
    public let inputWidth: Int
    public let outputWidth: Int

    /// Folds `model` into affine layers; fails for activations that are not piecewise linear.
    public init(_ model: MLP) throws {
        layers = try model.layers.enumerated().map { index, layer in
            guard layer.activation == .relu || layer.activation == .identity else {
                throw RegionError("layer_\(index) uses \(layer.activation.rawValue); linear regions exist only for relu and identity activations")
            }
            var w = layer.weight.storage.map(Double.init)
            var b = layer.bias.map(Double.init)
            if let bn = layer.batchNorm {
                for j in 0..<layer.outputs {
                    let scale = Double(bn.gamma[j]) / (Double(bn.runningVar[j]) + bn.eps).squareRoot()
                    for k in 0..<layer.inputs { w[j * layer.inputs + k] *= scale }
                    b[j] = scale * (b[j] - Double(bn.runningMean[j])) + Double(bn.beta[j])
                }
            }
            return Layer(inputs: layer.inputs, outputs: layer.outputs, weight: w, bias: b,
                         relu: layer.activation == .relu, residual: layer.residual)
        }
        heads = model.heads.map { Head(source: $0.sourceLayer, weight: $0.weight.storage.map(Double.init),
                                       bias: $0.bias.map(Double.init), inputs: $0.weight.cols) }
        inputWidth = model.inputWidth
        outputWidth = model.outputWidth
    }

    /// Hidden (ReLU) widths, in order — the architecture the bounds are about.
    public var reluWidths: [Int] { layers.filter(\.relu).map(\.outputs) }

    /// The activation pattern (1 = z > 0) of every ReLU unit and the output at `x`.
    public func evaluate(_ x: [Double]) -> (pattern: [UInt8], output: [Double]) {
        var h = x
        var pattern: [UInt8] = []
        var output = [Double](repeating: 0, count: outputWidth)
        for (i, l) in layers.enumerated() {
            var z = l.bias
            for j in 0..<l.outputs { for k in 0..<l.inputs { z[j] += l.weight[j * l.inputs + k] * h[k] } }
            if l.relu {
                for j in 0..<l.outputs {
                    pattern.append(z[j] > 0 ? 1 : 0)
                    z[j] = max(0, z[j])
                }
            }
            if l.residual { for j in 0..<l.outputs { z[j] += h[j] } }
            h = z
            for head in heads where head.source == i {
                for o in 0..<outputWidth {
                    output[o] += head.bias[o] + (0..<head.inputs).reduce(0) { $0 + head.weight[o * head.inputs + $1] * h[$1] }
                }
            }
        }
        return (pattern, heads.isEmpty ? h : output)
    }
}

/// Why the regions of a model cannot be computed.
public struct RegionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
