/// Why the singular values computed for a convolution layer's operator are not exactly its own.
///
/// The Fourier method (Sedghi, Gupta & Long 2019) is exact for circular padding; with a stride s
/// that divides the input grid it stays exact through the polyphase decomposition
/// (`ConvolutionKernel.polyphase(stride:)`). Otherwise the values are of a nearby operator, named
/// here. No caveats means exact.
public enum ConvolutionSpectrumCaveat: String, CaseIterable, Codable, Sendable {
    /// The layer pads with zeros (or not at all), so its operator has edges; the values are those
    /// of the circular-padding operator on the same input grid (and stride), which it approximates
    /// better as the grid grows relative to the kernel.
    case circularApproximationOfZeroPadding = "circular-approximation-of-zero-padding"
    /// The stride does not divide the input grid; the values are the stride-1 operator's. The
    /// strided layer keeps a subset of that operator's outputs, so with circular padding its i-th
    /// singular value is at most the i-th value given (Cauchy interlacing).
    case strideIgnored = "stride-ignored"

    /// One sentence for the command's output.
    public var explanation: String {
        switch self {
        case .circularApproximationOfZeroPadding:
            "the layer pads with zeros: these are the singular values of the same kernel with circular padding on the same input grid, an approximation that improves as the input grows relative to the kernel"
        case .strideIgnored:
            "the stride does not divide the input size: these are the stride-1 operator's singular values (with circular padding, value-by-value upper bounds on the strided layer's)"
        }
    }

    /// The caveats for `kernel` applied as `layout`, in declaration order.
    static func of(_ kernel: ConvolutionKernel, _ layout: ConvolutionLayout) -> [ConvolutionSpectrumCaveat] {
        var caveats: [ConvolutionSpectrumCaveat] = []
        if case .zeros(let p) = layout.padding, p > 0 || kernel.height > 1 || kernel.width > 1 {
            caveats.append(.circularApproximationOfZeroPadding)
        }
        if layout.inputHeight % layout.stride != 0 || layout.inputWidth % layout.stride != 0 { caveats.append(.strideIgnored) }
        return caveats
    }
}
