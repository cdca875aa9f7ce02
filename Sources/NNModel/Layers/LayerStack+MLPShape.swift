/// Recognising the MLP family inside the general description.
extension LayerStack {
    /// One dense layer of an MLP-shaped stack.
    public struct DenseShape: Equatable, Sendable {
        public var outputs: Int
        public var batchNorm: Bool
        public var activation: Activation
        public var residual: Bool
        public var dropout: Double
    }

    /// The stack's dense layers when it is what `LayerStack(MLP)` builds — flat input; blocks of
    /// linear, optional batch norm, an activation, optional dropout, and an identity shortcut or
    /// none; a last block of linear (and an activation) unless heads read the blocks — else nil.
    public var mlpShape: (layers: [DenseShape], multiHead: Bool)? {
        guard input.isFlat, !blocks.isEmpty else { return nil }
        var layers: [DenseShape] = []
        for (b, block) in blocks.enumerated() {
            guard block.after.isEmpty, block.shortcut == nil || block.shortcut == [], !block.zeroInitResidual,
                  case .linear(let outputs)? = block.main.first else { return nil }
            var rest = block.main.dropFirst()
            let batchNorm = rest.first == .batchNorm
            if batchNorm { rest = rest.dropFirst() }
            var activation = Activation.identity
            if case .activation(let a)? = rest.first { activation = a; rest = rest.dropFirst() }
            var dropout = 0.0
            if case .dropout(let rate)? = rest.first { dropout = rate; rest = rest.dropFirst() }
            guard rest.isEmpty else { return nil }
            let isOutput = heads.isEmpty && b == blocks.count - 1
            if isOutput, batchNorm || dropout > 0 || block.shortcut != nil { return nil }
            layers.append(DenseShape(outputs: outputs, batchNorm: batchNorm, activation: activation,
                                     residual: block.shortcut != nil, dropout: dropout))
        }
        guard heads.allSatisfy({ $0.layers.isEmpty }) else { return nil }
        return (layers, !heads.isEmpty)
    }
}
