/// The shape of one example's activations between layers: channels × height × width (NCHW
/// without the batch). Flat features, as an MLP has, are C × 1 × 1.
public struct FeatureShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let channels: Int
    public let height: Int
    public let width: Int

    public init(channels: Int, height: Int = 1, width: Int = 1) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per example: C·H·W.
    public var count: Int { channels * height * width }
    /// Positions per channel: H·W.
    public var positions: Int { height * width }
    public var isFlat: Bool { height == 1 && width == 1 }

    public var description: String { isFlat ? "\(channels)" : "\(channels)×\(height)×\(width)" }
}
