/// The window of a 2-D convolution or pooling over one C × H × W image (NCHW, as PyTorch):
/// a kernel of kernelHeight × kernelWidth moved by `stride`, the image padded by `padding`
/// on every side. Output size per axis: ⌊(H + 2·padding − kernel) / stride⌋ + 1.
public struct ConvGeometry: Equatable, Sendable {
    public let channels: Int
    public let height: Int
    public let width: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let stride: Int
    public let padding: Int

    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        self.channels = channels
        self.height = height
        self.width = width
        kernelHeight = kernel
        kernelWidth = kernel
        self.stride = stride
        self.padding = padding
    }

    public var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    public var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Values per input image: C·H·W.
    public var inputCount: Int { channels * height * width }
    /// Output positions per channel: outHeight · outWidth.
    public var positions: Int { outHeight * outWidth }
    /// Rows of the unrolled input (`im2col`): C · kernelHeight · kernelWidth.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }

    /// Why the window cannot be applied (sizes that are not positive, a kernel larger than the
    /// padded input); nil when it can.
    public var problem: String? {
        if channels < 1 || height < 1 || width < 1 { return "the input \(channels)×\(height)×\(width) is empty" }
        if kernelHeight < 1 || kernelWidth < 1 { return "the kernel must be at least 1×1" }
        if stride < 1 { return "the stride must be at least 1" }
        if padding < 0 { return "the padding must not be negative" }
        if height + 2 * padding < kernelHeight || width + 2 * padding < kernelWidth {
            return "a \(kernelHeight)×\(kernelWidth) kernel does not fit a \(height)×\(width) input padded by \(padding)"
        }
        return nil
    }
}

extension ConvGeometry {
    /// Calls `body(offset, index)` for every input in the window of output position (`oy`, `ox`)
    /// of channel `c`, in scan order: `offset` = ky·kernelWidth + kx within the window, `index`
    /// the input's place in the C × H × W image. Padding is never an input.
    @inlinable
    public func forEachInput(inWindowOf c: Int, _ oy: Int, _ ox: Int, _ body: (_ offset: Int, _ index: Int) -> Void) {
        for ky in 0..<kernelHeight {
            let iy = oy * stride - padding + ky
            guard iy >= 0 && iy < height else { continue }
            for kx in 0..<kernelWidth {
                let ix = ox * stride - padding + kx
                guard ix >= 0 && ix < width else { continue }
                body(ky * kernelWidth + kx, (c * height + iy) * width + ix)
            }
        }
    }
}
