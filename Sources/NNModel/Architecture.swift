import NNLinalg

/// The shape of an MLP to build: the task's widths and the model settings. Pure description;
/// `build(seed:)` draws the weights. Settings read through it: `architecture.hidden`.
@dynamicMemberLookup
public struct Architecture: Equatable, Sendable {
    public var inputs: Int
    public var outputs: Int
    public var settings: ModelSettings
    /// The shape of one input: an image's channels × height × width, or `inputs` flat features.
    public var inputShape: FeatureShape

    public init(inputs: Int, outputs: Int, settings: ModelSettings, inputShape: FeatureShape? = nil) {
        self.inputs = inputs
        self.outputs = outputs
        self.settings = settings
        self.inputShape = inputShape ?? FeatureShape(channels: inputs)
    }

    /// Default settings with these hidden widths.
    public init(inputs: Int, hidden: [Int], outputs: Int) {
        var settings = ModelSettings()
        settings.hidden = hidden
        self.init(inputs: inputs, outputs: outputs, settings: settings)
    }

    public subscript<Value>(dynamicMember setting: WritableKeyPath<ModelSettings, Value>) -> Value {
        get { settings[keyPath: setting] }
        set { settings[keyPath: setting] = newValue }
    }

    /// Problems with the description (empty when it can be built).
    public func problems() -> [String] {
        var problems: [String] = []
        if inputs < 1 { problems.append("the task has no inputs") }
        if outputs < 1 { problems.append("the task has no outputs") }
        if let bad = settings.hidden.first(where: { $0 < 1 }) { problems.append("hidden width \(bad) is not positive: every width must be at least 1") }
        if !(0..<1).contains(settings.dropout) { problems.append("dropout \(settings.dropout) must be in [0, 1)") }
        if settings.multiHead && settings.hidden.isEmpty { problems.append("a multi-head model needs at least one hidden layer") }
        if settings.arch != .mlp, case .failure(let error) = stack().layers() { problems.append("the layers do not fit \(inputShape) inputs: \(error)") }
        return problems
    }

    /// Trainable parameter count of the model this describes.
    public var parameterCount: Int { settings.arch == .mlp ? parameters(counting: { $0 }) : stack().parameterCount }

    /// The trainable parameter count in any numeric type: `Int` for the count itself, `Double`
    /// to estimate the size of models whose count would overflow (`MemoryBudget`).
    func parameters<N: Numeric>(counting n: (Int) -> N) -> N {
        var count: N = 0
        var width = n(inputs)
        for h in settings.hidden.map(n) {
            count += h * width + h + (settings.batchNorm ? 2 * h : 0)
            width = h
        }
        let outputs = n(self.outputs)
        if settings.multiHead { return count + settings.hidden.map(n).reduce(0) { $0 + $1 * outputs + outputs } }
        return count + outputs * width + outputs
    }

    /// Draws the weights from the run's initialisation stream.
    public func build(seed: UInt64) -> MLP {
        var rng = RandomSource.stream(.initialisation, seed: seed)
        var layers: [DenseLayer] = []
        var width = inputs
        for h in settings.hidden {
            let (w, b) = settings.initialization.draw(out: h, in: width, using: &rng)
            var layer = DenseLayer(
                weight: Matrix(rows: h, cols: width, storage: w), bias: b,
                batchNorm: settings.batchNorm ? BatchNorm(width: h) : nil, activation: settings.activation,
                residual: settings.residual && width == h, dropout: settings.dropout)
            if layer.residual && settings.zeroInitResidual {
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
        if settings.multiHead {
            let heads = settings.hidden.enumerated().map { index, h in
                let (w, b) = settings.initialization.draw(out: outputs, in: h, using: &rng)
                return Head(weight: Matrix(rows: outputs, cols: h, storage: w), bias: b, sourceLayer: index)
            }
            return MLP(layers: layers, heads: heads)
        }
        let (w, b) = settings.initialization.draw(out: outputs, in: width, using: &rng)
        layers.append(DenseLayer(weight: Matrix(rows: outputs, cols: width, storage: w), bias: b, activation: .identity))
        return MLP(layers: layers)
    }

    /// The last hidden width that gives a single-head model at least `target` parameters
    /// (the reference study's parameter-matched baseline for a multi-head model).
    public func widenedLastLayer(toMatch target: Int) -> Architecture {
        guard !settings.hidden.isEmpty else { return self }
        var widened = self
        widened.multiHead = false
        while widened.parameterCount < target { widened.hidden[widened.hidden.count - 1] += 1 }
        return widened
    }
}
