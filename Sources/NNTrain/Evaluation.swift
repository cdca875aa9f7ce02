import NNLinalg
import NNModel
import NNTasks

extension LayerNetwork where T == Float {
    /// Rows per evaluation chunk: up to 4,096, fewer when a chunk's activations would pass 256 MiB.
    func evaluationChunk(rows: Int) -> Int {
        max(1, min(4096, rows, (256 << 20) / (4 * max(1, valuesPerExample))))
    }

    /// Mean loss and accuracy over a whole split in evaluation mode, `chunk` rows at a time. With
    /// `deadUnits`, also the share of each hidden activation's units (channels, in conv layers)
    /// whose input is never positive on the split (a ReLU unit that never fires).
    func evaluate(_ data: Dataset, loss: LossFunction, tolerance: Double, chunk: Int,
                  deadUnits: Bool = false) -> (score: BatchScore, deadUnits: [Double]) {
        let hidden = hiddenActivationSteps
        var everActive = hidden.map { [Bool](repeating: false, count: steps[$0].inShape.channels) }
        var lossSum = 0.0, accuracySum = 0.0
        var inputs: [Float] = [], targets: [Float] = [], labels: [Int32] = []
        var none = RandomSource(seed: 0)
        var start = 0
        while start < data.count {
            let rows = min(chunk, data.count - start)
            data.gather(ArraySlice(start..<(start + rows)), inputs: &inputs, targets: &targets, labels: &labels)
            let outputs = forward(inputs, batch: rows, training: false, dropout: &none)
            let score = outputs.withUnsafeBufferPointer { y in
                targets.withUnsafeBufferPointer { t in
                    labels.withUnsafeBufferPointer { l in
                        loss.score(y.baseAddress!, rows: rows, width: outputWidth, targets: t.baseAddress, labels: l.baseAddress,
                                   tolerance: tolerance, gradient: nil)
                    }
                }
            }
            lossSum += score.loss * Double(rows)
            accuracySum += score.accuracy * Double(rows)
            if deadUnits {
                for (h, index) in hidden.enumerated() {
                    let shape = steps[index].inShape
                    for (k, value) in values(ofBuffer: steps[index].inputs[0]).enumerated() where value > 0 {
                        everActive[h][(k / shape.positions) % shape.channels] = true
                    }
                }
            }
            start += rows
        }
        let n = Double(max(1, data.count))
        let dead = deadUnits ? everActive.map { units in Double(units.filter { !$0 }.count) / Double(max(1, units.count)) } : []
        return (BatchScore(loss: lossSum / n, accuracy: accuracySum / n), dead)
    }
}
