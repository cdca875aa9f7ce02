/// A run of layers, optionally with a residual connection: output = after(main(x) + shortcut(x))
/// when there is a shortcut (an empty shortcut is the identity), else after(main(x)).
public struct Block: Equatable, Sendable {
    public var main: [Layer]
    /// nil: no residual connection; []: identity; layers: a projection (e.g. 1×1 conv + batch norm).
    public var shortcut: [Layer]?
    /// Layers after the sum (ResNet's last ReLU).
    public var after: [Layer]
    /// Start the residual branch at zero: the last batch norm of `main` begins with γ = 0.
    public var zeroInitResidual: Bool

    public init(_ main: [Layer], shortcut: [Layer]? = nil, after: [Layer] = [], zeroInitResidual: Bool = false) {
        self.main = main
        self.shortcut = shortcut
        self.after = after
        self.zeroInitResidual = zeroInitResidual
    }

    /// ResNet's BasicBlock from `inChannels` to `channels`: two 3×3 convolutions with batch norm,
    /// the first with `stride`; a 1×1 convolution + batch norm shortcut when the shape changes,
    /// else the identity; ReLU after the sum. Without `residual`, the same layers with no shortcut.
    public static func basic(from inChannels: Int, to channels: Int, stride: Int = 1, residual: Bool = true,
                             zeroInitResidual: Bool = false) -> Block {
        let main: [Layer] = [
            .conv2d(channels: channels, kernel: 3, stride: stride, padding: 1, bias: false), .batchNorm, .activation(.relu),
            .conv2d(channels: channels, kernel: 3, stride: 1, padding: 1, bias: false), .batchNorm,
        ]
        let projection: [Layer] = stride != 1 || inChannels != channels
            ? [.conv2d(channels: channels, kernel: 1, stride: stride, padding: 0, bias: false), .batchNorm] : []
        return Block(main, shortcut: residual ? projection : nil, after: [.activation(.relu)],
                     zeroInitResidual: residual && zeroInitResidual)
    }
}
