/// The settings that shape a model, apart from the task's input shape and output width: what a
/// configuration file or the command line chooses. `Architecture` adds the task's shapes.
public struct ModelSettings: Codable, Equatable, Sendable {
    /// The family: an MLP of `hidden` widths, a small CNN (`channels`, then `fc`), or a ResNet
    /// (`blocks` BasicBlocks per stage from `base_width` channels).
    public var arch: ModelFamily = .mlp
    /// Hidden-layer widths in forward order.
    public var hidden = [16]
    public var activation: Activation = .relu
    /// Batch norm before the activation of every hidden layer.
    public var batchNorm = false
    /// Dropout rate on every hidden layer's output (training only), in [0, 1).
    public var dropout = 0.0
    /// Residual connections on hidden layers whose input and output widths are equal.
    public var residual = false
    /// Start residual branches at zero (γ = 0 with batch norm, else W = 0 and b = 0).
    public var zeroInitResidual = false
    /// A linear head on every hidden layer, head outputs summed.
    public var multiHead = false
    /// Widen a single-head model's last hidden layer to match the multi-head twin's parameter count.
    public var matchMultiHeadParameters = false
    public var initialization: Initialization = .pytorch
    /// ResNet: BasicBlocks per stage; each stage after the first halves the size and doubles the channels.
    public var blocks = [1, 1, 1, 1]
    /// ResNet: channels of the stem and the first stage.
    public var baseWidth = 64
    /// ResNet: the same layers without shortcuts (the plain net of study 004).
    public var noResidual = false
    /// CNN: output channels of each 3×3 convolution (padding 1, then batch norm if set, ReLU, 2×2 max-pool).
    public var channels = [32, 64]
    /// CNN: widths of the dense layers after the convolutions (ReLU, then dropout if set).
    public var fc = [128]
    /// Where read-outs sit: on the last layer, or (`stages`) one on each ResNet stage's pooled
    /// output, their outputs summed (study 000).
    public var headsOn: HeadPlacement = .last

    public init() {}
}

/// A model family `arch` chooses.
public enum ModelFamily: String, Codable, CaseIterable, Sendable {
    case mlp, cnn, resnet
}

/// Where a model's read-outs sit.
public enum HeadPlacement: String, Codable, CaseIterable, Sendable {
    case last, stages
}
