/// Rows of a data split: inputs (N × d, row-major) and either regression targets (N × o)
/// or class labels (N).
public struct Dataset: Sendable {
    public var inputs: [Float]
    public var targets: [Float]?
    public var labels: [Int32]?
    public let inputWidth: Int
    public let outputWidth: Int

    public init(inputs: [Float], targets: [Float]? = nil, labels: [Int32]? = nil, inputWidth: Int, outputWidth: Int) {
        precondition(inputWidth > 0 && inputs.count % inputWidth == 0, "inputs do not fill rows of \(inputWidth)")
        self.inputs = inputs
        self.targets = targets
        self.labels = labels
        self.inputWidth = inputWidth
        self.outputWidth = outputWidth
    }

    /// Number of rows N.
    public var count: Int { inputs.count / inputWidth }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> Dataset {
        var x: [Float] = [], t: [Float] = [], l: [Int32] = []
        for i in indices {
            x.append(contentsOf: inputs[(i * inputWidth)..<((i + 1) * inputWidth)])
            if let targets { t.append(contentsOf: targets[(i * outputWidth)..<((i + 1) * outputWidth)]) }
            if let labels { l.append(labels[i]) }
        }
        return Dataset(inputs: x, targets: targets == nil ? nil : t, labels: labels == nil ? nil : l,
                       inputWidth: inputWidth, outputWidth: outputWidth)
    }

    /// Copies the rows at `indices` into `inputs`, `targets` (when the set has targets) and
    /// `labels` (when it has labels), replacing their contents and keeping their capacity: a
    /// training batch without allocating.
    public func gather(_ indices: ArraySlice<Int>, inputs x: inout [Float], targets t: inout [Float], labels l: inout [Int32]) {
        let rows = indices.count, d = inputWidth, o = outputWidth
        func resize<V: Numeric>(_ array: inout [V], _ count: Int) {
            if array.count != count { array = Array(repeating: 0, count: count) }
        }
        resize(&x, rows * d)
        resize(&t, targets == nil ? 0 : rows * o)
        resize(&l, labels == nil ? 0 : rows)
        inputs.withUnsafeBufferPointer { source in
            x.withUnsafeMutableBufferPointer { target in copyRows(indices, width: d, from: source.baseAddress!, to: target.baseAddress!) }
        }
        if let targets {
            targets.withUnsafeBufferPointer { source in
                t.withUnsafeMutableBufferPointer { target in copyRows(indices, width: o, from: source.baseAddress!, to: target.baseAddress!) }
            }
        }
        if let labels { for (r, i) in indices.enumerated() { l[r] = labels[i] } }
    }

    /// Copies rows `indices` (each `width` values) of `source` to consecutive rows of `target`:
    /// rows of 1, 2, 4, 8 or 16 values as one vector each, other narrow rows value by value (a
    /// call to memmove per row of four values cost more than the copy), wide rows by memmove.
    private func copyRows(_ indices: ArraySlice<Int>, width: Int, from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>) {
        indices.withUnsafeBufferPointer { indices in
            func copyVectors<V: SIMD>(_: V.Type) where V.Scalar == Float {
                let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
                for (r, i) in indices.enumerated() {
                    to.storeBytes(of: from.loadUnaligned(fromByteOffset: i * MemoryLayout<V>.size, as: V.self),
                                  toByteOffset: r * MemoryLayout<V>.size, as: V.self)
                }
            }
            switch width {
            case 1: for (r, i) in indices.enumerated() { target[r] = source[i] }
            case 2: copyVectors(SIMD2<Float>.self)
            case 4: copyVectors(SIMD4<Float>.self)
            case 8: copyVectors(SIMD8<Float>.self)
            case 16: copyVectors(SIMD16<Float>.self)
            default:
                var row = target
                for i in indices {
                    let from = source + i * width
                    if width <= 16 {
                        for k in 0..<width { row[k] = from[k] }
                    } else {
                        row.update(from: from, count: width)
                    }
                    row += width
                }
            }
        }
    }

    /// Regression targets as a row-major matrix, or one-hot labels for classification.
    public var targetRows: [Float] {
        if let targets { return targets }
        var onehot = [Float](repeating: 0, count: count * outputWidth)
        for (r, label) in (labels ?? []).enumerated() { onehot[r * outputWidth + Int(label)] = 1 }
        return onehot
    }
}

/// The train, validation and test splits of a task.
public struct DataSplits: Sendable {
    public var train: Dataset
    public var validation: Dataset
    public var test: Dataset

    public init(train: Dataset, validation: Dataset, test: Dataset) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
