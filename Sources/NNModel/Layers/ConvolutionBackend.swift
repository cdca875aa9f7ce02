/// How a `LayerNetwork<Float>` runs its convolutions (Double networks always use im2col + GEMM,
/// the reference the finite-difference checks run on).
public enum ConvolutionBackend: Equatable, Sendable {
    /// oneDNN on the whole batch (`DNNLConvolution`), computing in `layout`.
    case dnnl(DNNLConvolution.Layout)
    /// im2col + GEMM one image at a time (ConvKernels.swift).
    case im2col
}
