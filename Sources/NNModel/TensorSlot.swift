/// One named tensor inside a flat buffer: `buffer[offset ..< offset + count]`.
public struct TensorSlot: Equatable, Sendable {
    /// `block0.main.0.weight` (the engine's names), or an MLP's `layer_0.weight`, `layer_0.gamma`, `head_1.bias`
    public let name: String
    public let offset: Int
    public let count: Int
    /// PyTorch's shape: `[out, in]` for linear weights, `[out, in, k, k]` for conv weights, `[width]` for vectors.
    public let shape: [Int]
}
