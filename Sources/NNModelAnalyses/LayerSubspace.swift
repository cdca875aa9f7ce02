import NNAnalysis
import NNLinalg
import NNModel

/// The principal directions of one buffer's activations over the channels: the subspace a
/// subspace ablation or patch acts on.
public enum LayerSubspace {
    /// The top `k` principal directions (k × C, orthonormal rows, largest entry of each positive)
    /// of `buffer`'s channel vectors on `inputs` (N × d), centred per context and position
    /// (`contexts`: one label per row; nil: one context) — for a probe grid, the directions its
    /// varied inputs move the activations along, as `pca --vary` finds them. Covariance in
    /// Float64; throws `LinalgError` when the eigendecomposition fails.
    public static func principalDirections(_ network: LayerNetwork<Double>, buffer: Int, inputs: [Double], contexts: [Int32]?,
                                           k: Int) throws -> Matrix<Double> {
        let shape = network.buffers[buffer], c = shape.channels, positions = shape.positions, count = shape.count
        let rows = ScoredRows(inputs: inputs, inputWidth: network.buffers[0].count)
        let labels = contexts ?? Array(repeating: 0, count: rows.count)
        // Two passes over the rows: the means per context and position, then the pooled scatter Σ (h − μ)(h − μ)ᵀ.
        var order: [Int32] = [], means: [Int32: [Double]] = [:], sizes: [Int32: Int] = [:]
        network.evaluateInBlocks(rows) { range, _ in
            let values = Array(network.values(ofBuffer: buffer))
            for r in range {
                let label = labels[r], row = (r - range.lowerBound) * count
                if means[label] == nil { order.append(label); means[label] = Array(repeating: 0, count: count) }
                for k in 0..<count { means[label]![k] += values[row + k] }
                sizes[label, default: 0] += 1
            }
        }
        for label in order { means[label] = means[label]!.map { $0 / Double(sizes[label]!) } }
        var scatter = [Double](repeating: 0, count: c * c), centred = [Double](repeating: 0, count: c)
        network.evaluateInBlocks(rows) { range, _ in
            let values = Array(network.values(ofBuffer: buffer))
            for r in range {
                let mean = means[labels[r]]!, row = (r - range.lowerBound) * count
                for p in 0..<positions {
                    for i in 0..<c { centred[i] = values[row + i * positions + p] - mean[i * positions + p] }
                    for i in 0..<c { for j in 0..<c { scatter[i * c + j] += centred[i] * centred[j] } }
                }
            }
        }
        let samples = (rows.count - order.count) * positions
        let covariance = Matrix(rows: c, cols: c, storage: scatter.map { $0 / Double(max(1, samples)) })
        return try PrincipalComponents(covariance: covariance, samples: rows.count * positions).top(k)
    }
}
