/// How a `LayerNetwork<Float>` runs its convolutions and max pooling (Double networks always use
/// nnprobe's kernels, the reference the finite-difference checks run on).
public enum ConvolutionBackend: Equatable, Sendable {
    /// oneDNN on the whole batch (`DNNLConvolution` computing in `layout`, `DNNLMaxPooling`).
    case dnnl(DNNLConvolution.Layout)
    /// nnprobe's kernels one image at a time: im2col + GEMM, and its pooling (ConvKernels.swift).
    case im2col
}
