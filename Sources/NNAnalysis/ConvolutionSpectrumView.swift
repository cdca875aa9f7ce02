/// The three matrices whose singular values are reported for a convolution layer.
public enum ConvolutionSpectrumView: String, CaseIterable, Codable, Sendable {
    /// The layer's linear operator on its input grid (`ConvolutionSpectrum`): the exact singular
    /// values of the map the layer computes, or those of its circular counterpart (see the caveats).
    case linearOperator = "operator"
    /// The C_out × (C_in·kh·kw) matrix `weight.reshape(C_out, -1)`: what PyTorch's `spectral_norm`
    /// normalises by.
    case flattened = "flattened"
    /// The kh·kw matrices `weight[:, :, a, b]` (C_out × C_in each), their singular values pooled:
    /// WeightWatcher's default for conv layers.
    case pooledPositions = "pooled-positions"

    /// One line saying what the view's values are, for the command's output.
    public var summary: String {
        switch self {
        case .linearOperator: "singular values of the layer's linear operator on its input (Sedghi et al. 2019)"
        case .flattened: "singular values of the C_out × (C_in·kh·kw) reshaped weight (PyTorch's spectral_norm)"
        case .pooledPositions: "singular values of the kh·kw per-position C_out × C_in matrices, pooled (WeightWatcher)"
        }
    }
}
