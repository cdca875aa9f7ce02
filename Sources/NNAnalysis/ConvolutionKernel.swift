import NNLinalg

/// The weights of a 2-D convolution in PyTorch's layout, (C_out, C_in, kh, kw), as Float64:
/// weight (o, c, a, b) is `weights[((o · C_in + c) · kh + a) · kw + b]`.
public struct ConvolutionKernel: Equatable, Sendable {
    public let outChannels: Int
    public let inChannels: Int
    public let height: Int
    public let width: Int
    public let weights: [Double]

    /// Wraps `weights` (converted to Float64); there must be C_out · C_in · kh · kw of them, every
    /// dimension at least 1.
    public init<T: BinaryFloatingPoint>(outChannels: Int, inChannels: Int, height: Int, width: Int, weights: [T]) {
        precondition(outChannels > 0 && inChannels > 0 && height > 0 && width > 0,
                     "kernel \(outChannels)×\(inChannels)×\(height)×\(width) has an empty dimension")
        precondition(weights.count == outChannels * inChannels * height * width,
                     "\(weights.count) weights do not fill a \(outChannels)×\(inChannels)×\(height)×\(width) kernel")
        (self.outChannels, self.inChannels, self.height, self.width) = (outChannels, inChannels, height, width)
        self.weights = weights.map { Double($0) }
    }

    /// Weight (o, c, a, b): output channel o, input channel c, kernel row a, kernel column b.
    public subscript(o: Int, c: Int, a: Int, b: Int) -> Double {
        weights[((o * inChannels + c) * height + a) * width + b]
    }

    /// `[C_out, C_in, kh, kw]`.
    public var shape: [Int] { [outChannels, inChannels, height, width] }

    /// The C_out × (C_in · kh · kw) matrix `weight.reshape(C_out, -1)`, the matrix PyTorch's
    /// `spectral_norm` normalises by.
    public var flattened: Matrix<Double> {
        Matrix(rows: outChannels, cols: inChannels * height * width, storage: weights)
    }

    /// The kh · kw matrices W_ab = `weight[:, :, a, b]` (C_out × C_in), position (a, b) at index
    /// a · kw + b: the matrices WeightWatcher pools for a convolution layer.
    public var positionMatrices: [Matrix<Double>] {
        (0..<(height * width)).map { position in
            var w = Matrix<Double>(rows: outChannels, cols: inChannels)
            for o in 0..<outChannels {
                for c in 0..<inChannels { w[o, c] = weights[(o * inChannels + c) * height * width + position] }
            }
            return w
        }
    }

    /// Throws `NonFiniteError` (naming the kernel `name`, and shaped as `flattened`) when a weight
    /// is NaN or ±∞.
    public func requireFinite(name: String? = nil) throws(NonFiniteError) {
        try flattened.requireFinite(name: name)
    }
}
