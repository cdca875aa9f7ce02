import NNLinalg
import NNModel
import NNTasks

extension Network where T == Float {
    /// Mean loss and accuracy over a whole split in evaluation mode, `workspace.capacity` rows at
    /// a time. With `deadUnits`, also the share of each hidden layer's units whose pre-activation
    /// is never positive on the split (a ReLU unit that never fires).
    func evaluate(_ data: Dataset, loss: LossFunction, tolerance: Double, workspace: Workspace<Float>,
                  deadUnits: Bool = false) -> (score: BatchScore, deadUnits: [Double]) {
        let hidden = layout.heads.isEmpty ? layout.layers.count - 1 : layout.layers.count
        var everActive = layout.layers.prefix(hidden).map { [Bool](repeating: false, count: $0.outputs) }
        var lossSum = 0.0, accuracySum = 0.0
        var start = 0
        while start < data.count {
            let rows = min(workspace.capacity, data.count - start)
            workspace.load(inputs: data.inputs, targets: data.targets, labels: data.labels, range: start..<(start + rows))
            evaluate(workspace, rows: rows)
            let score = score(workspace, rows: rows, loss: loss, tolerance: tolerance, gradient: false)
            lossSum += score.loss * Double(rows)
            accuracySum += score.accuracy * Double(rows)
            if deadUnits {
                for i in 0..<hidden {
                    let width = layout.layers[i].outputs
                    for (k, value) in workspace.layerPreactivation(i, rows: rows, width: width).enumerated() where value > 0 {
                        everActive[i][k % width] = true
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
