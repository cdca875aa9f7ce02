/// A model as blocks of layers over an input shape — the description conv nets (and, as one
/// case, MLPs) are built from. `LayerNetwork` trains it.
public struct LayerStack: Equatable, Sendable {
    public var input: FeatureShape
    public var blocks: [Block]
    /// Read-outs on chosen blocks, their outputs summed into the model's output (study 000's
    /// heads on every stage); none: the last block's output is the model's.
    public var heads: [Head]

    public init(input: FeatureShape, blocks: [Block], heads: [Head] = []) {
        self.input = input
        self.blocks = blocks
        self.heads = heads
    }

    /// A linear read-out of one block's output, after `layers` (e.g. global average pooling).
    public struct Head: Equatable, Sendable {
        /// The block whose output it reads.
        public var source: Int
        public var layers: [Layer]
        public var outputs: Int

        public init(source: Int, layers: [Layer] = [], outputs: Int) {
            self.source = source
            self.layers = layers
            self.outputs = outputs
        }
    }

    /// One layer in execution order, with its place (`block2.main.0`) and shapes.
    public struct PlacedLayer: Sendable {
        public let name: String
        public let layer: Layer
        public let input: FeatureShape
        public let output: FeatureShape
    }

    /// Every layer in execution order (each block's main layers, its shortcut, then the layers
    /// after the sum; then each head's layers and its linear read-out), or the first layer that
    /// cannot take its input.
    public func layers() -> Result<[PlacedLayer], LayerShapeError> {
        var placed: [PlacedLayer] = []
        var shape = input
        var blockOutputs: [FeatureShape] = []
        func place(_ layers: [Layer], from start: FeatureShape, prefix: String) -> Result<FeatureShape, LayerShapeError> {
            var current = start
            for (i, layer) in layers.enumerated() {
                switch layer.output(for: current) {
                case .failure(let error): return .failure(.init("\(prefix).\(i): \(error.description)"))
                case .success(let next):
                    placed.append(PlacedLayer(name: "\(prefix).\(i)", layer: layer, input: current, output: next))
                    current = next
                }
            }
            return .success(current)
        }
        for (b, block) in blocks.enumerated() {
            let main: FeatureShape
            switch place(block.main, from: shape, prefix: "block\(b).main") {
            case .failure(let error): return .failure(error)
            case .success(let out): main = out
            }
            if let shortcut = block.shortcut {
                switch place(shortcut, from: shape, prefix: "block\(b).shortcut") {
                case .failure(let error): return .failure(error)
                case .success(let out) where out != main:
                    return .failure(.init("block\(b): the shortcut gives \(out) but the main path \(main)"))
                case .success: break
                }
            }
            switch place(block.after, from: main, prefix: "block\(b).after") {
            case .failure(let error): return .failure(error)
            case .success(let out): shape = out
            }
            blockOutputs.append(shape)
        }
        for (h, head) in heads.enumerated() {
            guard blockOutputs.indices.contains(head.source) else {
                return .failure(.init("head\(h) reads block\(head.source), but there are \(blocks.count) blocks"))
            }
            if case .failure(let error) = place(head.layers + [.linear(outputs: head.outputs)], from: blockOutputs[head.source], prefix: "head\(h)") {
                return .failure(error)
            }
            if head.outputs != heads[0].outputs { return .failure(.init("head\(h) has \(head.outputs) outputs, head0 \(heads[0].outputs)")) }
        }
        return .success(placed)
    }

    /// The output shape, when every layer takes its input.
    public var outputShape: FeatureShape? {
        guard let placed = try? layers().get() else { return nil }
        return heads.first.map { FeatureShape(channels: $0.outputs) } ?? placed.last?.output ?? input
    }

    /// Trainable parameter count.
    public var parameterCount: Int {
        ((try? layers().get()) ?? []).reduce(0) { sum, placed in
            sum + placed.layer.parameters(for: placed.input).reduce(0) { $0 + $1.shape.reduce(1, *) }
        }
    }
}
