import NNCheckpoint
import NNLinalg
import NNModel

/// Activation dumps of layer stacks (conv nets): one entry per block with its shape; image-shaped
/// blocks keep their feature maps for the first `mapRows` rows and their pooled channels for all.
extension DumpBuilder {
    /// Rows whose feature maps a conv net's dump keeps by default (`--dump-rows`): 512 rows of a
    /// 64 × 32 × 32 block are 134 MB, where all 10,000 test rows would be 2.6 GB.
    public static let defaultMapRows = 512

    /// Per block of `stack`: its name, its layers, and the shapes of its output and its
    /// pre-activation (the input of its first activation in execution order, else the output),
    /// as `LayerNetwork.blockBuffers` holds them. A block ending in `flatten` takes the shape
    /// before it: the values are the same.
    public static func blockLayouts(_ stack: LayerStack) -> [BlockLayout] {
        let placed = (try? stack.layers().get()) ?? []
        return stack.blocks.indices.map { b in
            let prefix = "block\(b)."
            let mine = placed.filter { $0.name.hasPrefix(prefix) }
            let block = stack.blocks[b]
            // The block's last step: its last `after` layer, else the residual sum (main's shape), else main's last layer.
            let last = block.after.isEmpty ? mine.last { $0.name.hasPrefix(prefix + "main.") } : mine.last
            let lastIsStep = !block.after.isEmpty || block.shortcut == nil
            var shape = last?.output ?? stack.input
            if lastIsStep, let last, last.layer == .flatten { shape = last.input }
            let activation = mine.first { if case .activation = $0.layer { true } else { false } }
            return BlockLayout(name: "block\(b)", layers: mine.map(\.name), shape: shape, preShape: activation?.input ?? shape)
        }
    }

    /// Bytes a dump of `rows` probe rows of `stack` holds while it is built (Float64 arithmetic, so
    /// absurd sizes cannot overflow): the inputs, outputs, every block's kept activations, and an
    /// evaluation chunk's workspace (at most 256 MiB).
    public static func bytes(of stack: LayerStack, rows: Int, mapRows: Int) -> Double {
        let n = Double(rows), m = Double(min(rows, max(0, mapRows)))
        let outputs = Double(stack.outputShape?.count ?? 0)
        let kept = blockLayouts(stack).reduce(0.0) { sum, block in
            [block.shape, block.preShape].reduce(sum) { sum, shape in
                sum + (shape.isFlat ? n * Double(shape.count) : m * Double(shape.count) + n * Double(shape.channels))
            }
        }
        return 4 * (n * Double(stack.input.count) + n * outputs + kept) + Double(256 << 20)
    }

    /// Runs `inputs` (N examples, NCHW) through `network` in evaluation mode, a chunk of rows at a
    /// time, and keeps per block: flat activations for every row; for image-shaped ones the first
    /// `mapRows` rows' maps and every row's per-channel spatial mean. Returns the outputs too.
    static func collectBlocks(_ network: LayerNetwork<Float>, inputs: [Float], mapRows: Int) -> (outputs: [Float], layers: [LayerActivations]) {
        let d = network.buffers[0].count
        let n = d > 0 ? inputs.count / d : 0
        let m = min(n, max(0, mapRows))
        let sources = zip(blockLayouts(network.stack), network.blockBuffers).map { layout, buffers in
            precondition(network.buffers[buffers.post].count == layout.shape.count && network.buffers[buffers.pre].count == layout.preShape.count,
                         "\(layout.name): its buffers do not hold \(layout.shape) and \(layout.preShape)")
            return (layout: layout, post: buffers.post, pre: buffers.pre)
        }
        // One part per block and side (post, pre): its stored rows, and pooled means when image-shaped.
        var stored = sources.map { _ in ([Float](), [Float]()) }
        var pooled = sources.map { _ in ([Float](), [Float]()) }
        var outputs: [Float] = []
        outputs.reserveCapacity(n * network.outputWidth)
        network.forEachChunk(of: inputs, chunk: network.evaluationChunk(rows: n)) { start, rows, chunkOutputs in
            outputs += chunkOutputs
            let keep = max(0, min(rows, m - start))   // rows of this chunk below m
            for (b, source) in sources.enumerated() {
                for pre in [false, true] {
                    let shape = pre ? source.layout.preShape : source.layout.shape
                    let values = network.values(ofBuffer: pre ? source.pre : source.post)
                    let base = values.startIndex
                    if shape.isFlat {
                        if pre { stored[b].1 += values } else { stored[b].0 += values }
                        continue
                    }
                    let maps = values[base..<(base + keep * shape.count)]
                    let means = spatialMeans(values, rows: rows, shape: shape)
                    if pre { stored[b].1 += maps; pooled[b].1 += means } else { stored[b].0 += maps; pooled[b].0 += means }
                }
            }
        }
        let layers = sources.enumerated().map { b, source in
            let layout = source.layout
            func matrix(_ values: [Float], _ shape: FeatureShape) -> Matrix<Float> {
                Matrix(rows: values.count / max(1, shape.count), cols: shape.count, storage: values)
            }
            return LayerActivations(
                block: layout, post: matrix(stored[b].0, layout.shape), pre: matrix(stored[b].1, layout.preShape),
                pooled: layout.shape.isFlat ? nil : Matrix(rows: n, cols: layout.shape.channels, storage: pooled[b].0),
                pooledPre: layout.preShape.isFlat ? nil : Matrix(rows: n, cols: layout.preShape.channels, storage: pooled[b].1))
        }
        return (outputs, layers)
    }

    /// Each row's per-channel mean over H × W (summed in Float64): rows × C.
    static func spatialMeans(_ values: ArraySlice<Float>, rows: Int, shape: FeatureShape) -> [Float] {
        let positions = shape.positions
        var means = [Float](repeating: 0, count: rows * shape.channels)
        values.withUnsafeBufferPointer { v in
            for i in 0..<(rows * shape.channels) {
                var sum = 0.0
                for k in (i * positions)..<((i + 1) * positions) { sum += Double(v[k]) }
                means[i] = Float(sum / Double(positions))
            }
        }
        return means
    }
}
