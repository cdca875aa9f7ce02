import NNLinalg

/// A model's activations on a set of inputs, evaluation mode.
public struct CollectedActivations: Sendable {
    /// N × outputs, row-major.
    public var outputs: [Float]
    /// Per block (an MLP's layer): N × width before the activation (after batch norm), row-major.
    public var pre: [[Float]]
    /// Per block: N × width, the block's output (NCHW per example for conv blocks), row-major.
    public var post: [[Float]]
}

extension LayerNetwork {
    /// Per block, the buffers holding its pre-activation and its output: the input of the block's
    /// first activation (the output itself when it has none, as an MLP's output layer) and the
    /// output of its last step.
    public var blockBuffers: [(pre: Int, post: Int)] {
        stack.blocks.indices.map { b in
            let prefix = "block\(b)."
            let mine = steps.filter { $0.name.hasPrefix(prefix) }
            let post = mine.last!.output
            let activation = mine.first { if case .layer(.activation) = $0.operation { true } else { false } }
            return (activation?.inputs[0] ?? post, post)
        }
    }
}

extension LayerNetwork where T == Float {
    /// Runs `inputs` (N examples, NCHW) through the model in evaluation mode, `chunk` examples at
    /// a time, and keeps every block's pre-activation and output.
    public func collectActivations(inputs: [Float], chunk: Int = 4096) -> CollectedActivations {
        let n = inputs.count / max(1, buffers[0].count)
        let blocks = blockBuffers
        var result = CollectedActivations(outputs: [], pre: blocks.map { _ in [] }, post: blocks.map { _ in [] })
        result.outputs.reserveCapacity(n * outputWidth)
        forEachChunk(of: inputs, chunk: chunk) { _, _, outputs in
            result.outputs += outputs
            for (b, buffers) in blocks.enumerated() {
                result.pre[b] += values(ofBuffer: buffers.pre)
                result.post[b] += values(ofBuffer: buffers.post)
            }
        }
        return result
    }
}
