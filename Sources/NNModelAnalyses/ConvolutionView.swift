import NNAnalysis

/// Which matrix of a conv layer a `LayerSpectrum` holds the values of, and how the layer was
/// applied: the keys a conv layer's entry adds in `nnprobe svd --json` (see docs/json.md).
public struct ConvolutionView: Encodable, Equatable, Sendable {
    public let view: ConvolutionSpectrumView
    /// [C_out, C_in, kh, kw], PyTorch's layout.
    public let kernel: [Int]
    /// The input grid the layer is applied to, [height, width].
    public let inputSize: [Int]
    public let stride: Int
    /// The layer's zero padding on every side, as stored (0: none).
    public let padding: Int
    /// Whether the layer was taken as circularly padded (the operator view then wraps around
    /// instead of seeing `padding` zeros).
    public let circular: Bool
    /// Why the values are not exactly those of the view's matrix; empty when they are (always
    /// for the flattened and pooled-positions views).
    public let caveats: [ConvolutionSpectrumCaveat]
    /// The operator view's frequency grid, [height, width] (the input grid, or it divided by the
    /// stride); nil for the other views.
    public let frequencyGrid: [Int]?

    /// Whether the values are exactly those of the view's matrix.
    public var exact: Bool { caveats.isEmpty }

    enum CodingKeys: String, CodingKey {
        case view, kernel, stride, padding, caveats, exact
        case inputSize = "input_size", paddingMode = "padding_mode", frequencyGrid = "frequency_grid"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(view, forKey: .view)
        try c.encode(kernel, forKey: .kernel)
        try c.encode(inputSize, forKey: .inputSize)
        try c.encode(stride, forKey: .stride)
        try c.encode(padding, forKey: .padding)
        try c.encode(circular ? "circular" : "zeros", forKey: .paddingMode)
        try c.encode(exact, forKey: .exact)
        try c.encode(caveats, forKey: .caveats)
        try c.encode(frequencyGrid, forKey: .frequencyGrid)   // null for the flattened and pooled views
    }
}
