import NNLinalg

/// A model's activations on a set of inputs, evaluation mode.
public struct CollectedActivations: Sendable {
    /// N × outputs, row-major.
    public var outputs: [Float]
    /// Per trunk layer: N × width before the activation (after batch norm), row-major.
    public var pre: [[Float]]
    /// Per trunk layer: N × width, the layer's output, row-major.
    public var post: [[Float]]
}

extension Network where T == Float {
    /// Runs `inputs` (N × d, row-major) through the model in evaluation mode, `chunk` rows at a
    /// time, and keeps every trunk layer's pre- and post-activations.
    public func collectActivations(inputs: [Float], chunk: Int = 4096) -> CollectedActivations {
        let d = layout.inputWidth, o = layout.outputWidth
        let n = d > 0 ? inputs.count / d : 0
        let ws = Workspace<Float>(layout: layout, capacity: max(1, min(chunk, n)))
        var result = CollectedActivations(outputs: [], pre: layout.layers.map { _ in [] }, post: layout.layers.map { _ in [] })
        result.outputs.reserveCapacity(n * o)
        var start = 0
        while start < n {
            let rows = min(ws.capacity, n - start)
            ws.load(inputs: inputs, targets: nil, labels: nil, range: start..<(start + rows))
            evaluate(ws, rows: rows)
            result.outputs += ws.outputs(rows: rows)
            for (i, l) in layout.layers.enumerated() {
                result.pre[i] += ws.layerPreactivation(i, rows: rows, width: l.outputs)
                result.post[i] += ws.layerOutput(i, rows: rows, width: l.outputs)
            }
            start += rows
        }
        return result
    }
}
