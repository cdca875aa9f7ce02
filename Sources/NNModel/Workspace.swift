import NNLinalg

/// Per-batch activations of a `Network`, in one flat arena with named offsets, sized for at
/// most `capacity` rows so a training loop allocates nothing per step.
///
/// Per trunk layer (B = rows, w = width): `pre` (B × w, after batch norm, before the
/// activation), `out` (B × w, the layer's output), `dOut` and `dPre` (their gradients),
/// and when needed `xhat` (B × w), `mean`/`invStd` (w) and 2w of scratch for batch norm and `mask` (B × w) for dropout.
public final class Workspace<T: LinalgScalar> {
    struct LayerOffsets {
        let pre: Int, out: Int, dOut: Int, dPre: Int
        let xhat: Int?, mean: Int?, invStd: Int?, bnScratch: Int?, mask: Int?
    }

    /// Most rows a forward pass may use.
    public let capacity: Int
    let layers: [LayerOffsets]
    /// Offsets of the input (B × in), the prediction (B × out), its gradient, and the targets.
    let input: Int, output: Int, dOutput: Int, targets: Int
    let inputWidth: Int, outputWidth: Int
    var arena: [T]
    /// Class labels of the current batch (cross-entropy).
    public var labels: [Int32]

    public init(layout: ParameterLayout, capacity: Int) {
        self.capacity = capacity
        var offset = 0
        func take(_ count: Int) -> Int {
            defer { offset += count }
            return offset
        }
        inputWidth = layout.inputWidth
        outputWidth = layout.outputWidth
        input = take(capacity * layout.inputWidth)
        layers = layout.layers.map { s in
            let size = capacity * s.outputs
            let bn = s.gamma != nil
            return LayerOffsets(
                pre: take(size), out: take(size), dOut: take(size), dPre: take(size),
                xhat: bn ? take(size) : nil, mean: bn ? take(s.outputs) : nil, invStd: bn ? take(s.outputs) : nil,
                bnScratch: bn ? take(2 * s.outputs) : nil,
                mask: s.dropout > 0 ? take(size) : nil)
        }
        if layout.heads.isEmpty, let last = layers.last {
            output = last.out
            dOutput = last.dOut
        } else {
            output = take(capacity * layout.outputWidth)
            dOutput = take(capacity * layout.outputWidth)
        }
        targets = take(capacity * layout.outputWidth)
        arena = Array(repeating: 0, count: offset)
        labels = Array(repeating: 0, count: capacity)
    }

    /// Writes row `row` of the input.
    public func setInput(row: Int, _ values: some Collection<T>) {
        var k = input + row * inputWidth
        for v in values { arena[k] = v; k += 1 }
    }

    /// Writes row `row` of the regression targets.
    public func setTargets(row: Int, _ values: some Collection<T>) {
        var k = targets + row * outputWidth
        for v in values { arena[k] = v; k += 1 }
    }

    /// Fills input rows 0..<rows (and targets/labels) from row-major sources via `indices`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func load(inputs: [Float], targets: [Float]?, labels: [Int32]?, indices: ArraySlice<Int>) {
        let d = inputWidth, o = outputWidth
        arena.withUnsafeMutableBufferPointer { a in
            for (r, index) in indices.enumerated() {
                for j in 0..<d { a[input + r * d + j] = T(inputs[index * d + j]) }
                if let targets { for j in 0..<o { a[self.targets + r * o + j] = T(targets[index * o + j]) } }
            }
        }
        if let labels { for (r, index) in indices.enumerated() { self.labels[r] = labels[index] } }
    }

    /// Fills input rows from the consecutive source rows `range`.
    public func load(inputs: [Float], targets: [Float]?, labels: [Int32]?, range: Range<Int>) {
        load(inputs: inputs, targets: targets, labels: labels, indices: ArraySlice(range))
    }

    /// The prediction for rows 0..<rows, row-major.
    public func outputs(rows: Int) -> ArraySlice<T> { arena[output..<(output + rows * outputWidth)] }

    /// Layer `index`'s output for rows 0..<rows, row-major.
    public func layerOutput(_ index: Int, rows: Int, width: Int) -> ArraySlice<T> {
        arena[layers[index].out..<(layers[index].out + rows * width)]
    }

    /// Layer `index`'s pre-activation for rows 0..<rows, row-major.
    public func layerPreactivation(_ index: Int, rows: Int, width: Int) -> ArraySlice<T> {
        arena[layers[index].pre..<(layers[index].pre + rows * width)]
    }
}
