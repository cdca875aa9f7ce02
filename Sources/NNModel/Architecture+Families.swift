/// The conv families as `LayerStack`s, and every family as a model with drawn weights.
extension Architecture {
    /// The layers these settings describe on `inputShape`. MLPs: `LayerStack(build(seed:))`'s layout.
    public func stack() -> LayerStack {
        let s = settings
        switch s.arch {
        case .mlp:
            return LayerStack(build(seed: 0))
        case .cnn:
            var blocks = s.channels.map { c in
                Block([.conv2d(channels: c, kernel: 3, stride: 1, padding: 1)] + (s.batchNorm ? [.batchNorm] : [])
                      + [.activation(s.activation), .maxPool(kernel: 2, stride: 2)])
            }
            if !blocks.isEmpty { blocks[blocks.count - 1].after = [.flatten] } else { blocks = [Block([.flatten])] }
            blocks += s.fc.map { width in
                Block([.linear(outputs: width)] + (s.batchNorm ? [.batchNorm] : []) + [.activation(s.activation)]
                      + (s.dropout > 0 ? [.dropout(s.dropout)] : []))
            }
            return LayerStack(input: inputShape, blocks: blocks + [Block([.linear(outputs: outputs)])])
        case .resnet:
            var blocks = [Block([.conv2d(channels: s.baseWidth, kernel: 3, stride: 1, padding: 1, bias: false), .batchNorm, .activation(.relu)])]
            var stageEnds: [Int] = []
            var channels = s.baseWidth
            for (stage, count) in s.blocks.enumerated() {
                let width = s.baseWidth << stage
                for b in 0..<count {
                    blocks.append(.basic(from: channels, to: width, stride: stage > 0 && b == 0 ? 2 : 1,
                                         residual: !s.noResidual, zeroInitResidual: s.zeroInitResidual))
                    channels = width
                }
                stageEnds.append(blocks.count - 1)
            }
            if s.headsOn == .stages {
                return LayerStack(input: inputShape, blocks: blocks,
                                  heads: stageEnds.map { LayerStack.Head(source: $0, layers: [.globalAvgPool], outputs: outputs) })
            }
            return LayerStack(input: inputShape, blocks: blocks + [Block([.globalAvgPool, .linear(outputs: outputs)])])
        }
    }

    /// The model with weights drawn from the run's initialisation stream (MLPs exactly as
    /// `build(seed:)` draws them).
    public func model(seed: UInt64) throws -> LayerModel {
        if settings.arch == .mlp { return LayerModel(build(seed: seed)) }
        return try LayerNetwork<Float>(stack(), initialization: settings.initialization, seed: seed).export()
    }
}
