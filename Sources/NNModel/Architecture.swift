import NNLinalg

/// The shape of an MLP to build: widths, activation and per-layer options. Pure description;
/// `build(seed:)` draws the weights.
public struct Architecture: Codable, Equatable, Sendable {
    public var inputs: Int
    /// Hidden-layer widths in forward order.
    public var hidden: [Int]
    public var outputs: Int
    public var activation: Activation = .relu
    /// Batch norm before the activation of every hidden layer.
    public var batchNorm = false
    /// Dropout rate on every hidden layer's output (training only).
    public var dropout = 0.0
    /// Residual connections on hidden layers whose input and output widths are equal.
    public var residual = false
    /// Start residual branches at zero (γ = 0 with batch norm, else W = 0 and b = 0).
    public var zeroInitResidual = false
    /// A linear head on every hidden layer, head outputs summed.
    public var multiHead = false
    public var initialization: Initialization = .pytorch

    public init(inputs: Int, hidden: [Int], outputs: Int) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
    }

    /// Problems with the description (empty when it can be built).
    public func problems() -> [String] {
        var problems: [String] = []
        if inputs < 1 { problems.append("the task has no inputs") }
        if outputs < 1 { problems.append("the task has no outputs") }
        if let bad = hidden.first(where: { $0 < 1 }) { problems.append("hidden width \(bad) is not positive: every width must be at least 1") }
        if !(0..<1).contains(dropout) { problems.append("dropout \(dropout) must be in [0, 1)") }
        if multiHead && hidden.isEmpty { problems.append("a multi-head model needs at least one hidden layer") }
        return problems
    }

    /// Trainable parameter count of the model this describes.
    public var parameterCount: Int {
        var count = 0
        var width = inputs
        for h in hidden {
            count += h * width + h + (batchNorm ? 2 * h : 0)
            width = h
        }
        if multiHead { return count + hidden.reduce(0) { $0 + $1 * outputs + outputs } }
        return count + outputs * width + outputs
    }

    /// Draws the weights from the run's initialisation stream.
    public func build(seed: UInt64) -> MLP {
        var rng = RandomSource.stream(.initialisation, seed: seed)
        var layers: [DenseLayer] = []
        var width = inputs
        for h in hidden {
            let (w, b) = initialization.draw(out: h, in: width, using: &rng)
            var layer = DenseLayer(
                weight: Matrix(rows: h, cols: width, storage: w), bias: b,
                batchNorm: batchNorm ? BatchNorm(width: h) : nil, activation: activation,
                residual: residual && width == h, dropout: dropout)
            if layer.residual && zeroInitResidual {
                if layer.batchNorm != nil {
                    layer.batchNorm!.gamma = Array(repeating: 0, count: h)
                } else {
                    layer.weight = Matrix(rows: h, cols: width)
                    layer.bias = Array(repeating: 0, count: h)
                }
            }
            layers.append(layer)
            width = h
        }
        if multiHead {
            let heads = hidden.enumerated().map { index, h in
                let (w, b) = initialization.draw(out: outputs, in: h, using: &rng)
                return Head(weight: Matrix(rows: outputs, cols: h, storage: w), bias: b, sourceLayer: index)
            }
            return MLP(layers: layers, heads: heads)
        }
        let (w, b) = initialization.draw(out: outputs, in: width, using: &rng)
        layers.append(DenseLayer(weight: Matrix(rows: outputs, cols: width, storage: w), bias: b, activation: .identity))
        return MLP(layers: layers)
    }

    /// The last hidden width that gives a single-head model at least `target` parameters
    /// (the reference study's parameter-matched baseline for a multi-head model).
    public func widenedLastLayer(toMatch target: Int) -> Architecture {
        guard !hidden.isEmpty else { return self }
        var widened = self
        widened.multiHead = false
        while widened.parameterCount < target { widened.hidden[widened.hidden.count - 1] += 1 }
        return widened
    }
}
