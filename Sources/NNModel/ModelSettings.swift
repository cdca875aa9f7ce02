/// The settings that shape an MLP, apart from the task's input and output widths: what a
/// configuration file or the command line chooses. `Architecture` adds the widths.
public struct ModelSettings: Codable, Equatable, Sendable {
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

    public init() {}
}
