import NNLinalg
import NNModel
import NNTasks

extension LayerNetwork where T == Float {
    /// Mean loss and accuracy over a whole split in evaluation mode, `chunk` rows at a time. With
    /// `deadUnits`, also the share of each hidden activation's units (channels, in conv layers)
    /// whose input is never positive on the split (a ReLU unit that never fires).
    func evaluate(_ data: Dataset, loss: LossFunction, tolerance: Double, chunk: Int,
                  deadUnits: Bool = false) -> (score: BatchScore, deadUnits: [Double]) {
        let hidden = hiddenActivationSteps
        var everActive = hidden.map { [Bool](repeating: false, count: steps[$0].inShape.channels) }
        var lossSum = 0.0, accuracySum = 0.0
        let o = outputWidth
        forEachChunk(of: data.inputs, chunk: chunk) { start, rows, outputs in
            let score = outputs.withUnsafeBufferPointer { y in
                (data.targets ?? []).withUnsafeBufferPointer { t in
                    (data.labels ?? []).withUnsafeBufferPointer { l in
                        loss.score(y.baseAddress!, rows: rows, width: o, targets: t.baseAddress.map { $0 + start * o },
                                   labels: l.baseAddress.map { $0 + start }, tolerance: tolerance, gradient: nil)
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
        }
        let n = Double(max(1, data.count))
        let dead = deadUnits ? everActive.map { units in Double(units.filter { !$0 }.count) / Double(max(1, units.count)) } : []
        return (BatchScore(loss: lossSum / n, accuracy: accuracySum / n), dead)
    }
}
