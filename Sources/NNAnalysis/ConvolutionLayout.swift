/// How a convolution treats the border of its input.
public enum ConvolutionPadding: Equatable, Sendable {
    /// The input wraps around: the output grid is the input grid (divided by the stride), as
    /// PyTorch's `padding_mode="circular"` with (k − 1)/2 on each side.
    case circular
    /// `padding` zeros on every side (PyTorch's default; 0 is "valid").
    case zeros(Int)
}

/// Where a convolution kernel is applied: the input grid it sees, its stride and its padding.
public struct ConvolutionLayout: Equatable, Sendable {
    public let inputHeight: Int
    public let inputWidth: Int
    public let stride: Int
    public let padding: ConvolutionPadding

    public init(inputHeight: Int, inputWidth: Int, stride: Int = 1, padding: ConvolutionPadding) {
        (self.inputHeight, self.inputWidth, self.stride, self.padding) = (inputHeight, inputWidth, stride, padding)
    }

    /// Throws `ConvolutionSpectrumError` when `kernel` cannot be applied here: an empty input grid,
    /// a stride below 1, negative padding, or a kernel larger than the zero-padded input.
    public func validate(for kernel: ConvolutionKernel) throws(ConvolutionSpectrumError) {
        if inputHeight < 1 || inputWidth < 1 { throw .init("the input grid \(inputHeight)×\(inputWidth) is empty") }
        if Double(inputHeight) * Double(inputWidth) > 1e12 { throw .init("the input grid \(inputHeight)×\(inputWidth) is too large") }
        if stride < 1 { throw .init("the stride \(stride) must be at least 1") }
        guard case .zeros(let p) = padding else { return }
        if p < 0 { throw .init("the padding \(p) must not be negative") }
        if Double(inputHeight) + 2 * Double(p) < Double(kernel.height) || Double(inputWidth) + 2 * Double(p) < Double(kernel.width) {
            throw .init("a \(kernel.height)×\(kernel.width) kernel does not fit a \(inputHeight)×\(inputWidth) input padded by \(p)")
        }
    }
}

/// A convolution spectrum that cannot be computed, in one line (what is wrong, with the values).
public struct ConvolutionSpectrumError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
