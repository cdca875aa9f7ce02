import Foundation
import NNLinalg

extension Network {
    /// Knowledge-distillation score of rows 0..<rows: the student's logits against the labels and
    /// the teacher's logits (held in the workspace's target rows).
    ///
    /// L = (1 − α)·CE(softmax(z), y) + α·T²·KL(q ‖ p), q = softmax(t/T), p = softmax(z/T), means over
    /// the batch (Hinton et al. 2015). ∂L/∂z = [(1 − α)(softmax(z) − onehot(y)) + α·T·(p − q)] / B.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func distillationScore(_ workspace: Workspace<T>, rows: Int, temperature: Double, alpha: Double,
                                  gradient: Bool) -> BatchScore {
        let o = layout.outputWidth
        guard rows > 0, o > 0 else { return BatchScore(loss: .nan, accuracy: .nan) }
        return workspace.arena.withUnsafeMutableBufferPointer { ap in
            let a = ap.baseAddress!
            let z = a + workspace.output, teacher = a + workspace.targets, d = a + workspace.dOutput
            func softmax(_ row: UnsafeMutablePointer<T>, scale: Double) -> [Double] {
                let values = (0..<o).map { Double(row[$0]) / scale }
                let m = values.max()!
                let e = values.map { exp($0 - m) }
                let s = e.reduce(0, +)
                return e.map { $0 / s }
            }
            var total = 0.0
            var correct = 0
            for r in 0..<rows {
                let label = Int(workspace.labels[r])
                let s = softmax(z + r * o, scale: 1)
                let p = softmax(z + r * o, scale: temperature), q = softmax(teacher + r * o, scale: temperature)
                let crossEntropy = -log(max(s[label], .leastNonzeroMagnitude))
                let kl = zip(q, p).reduce(0.0) { $0 + ($1.0 > 0 ? $1.0 * (log($1.0) - log(max($1.1, .leastNonzeroMagnitude))) : 0) }
                total += (1 - alpha) * crossEntropy + alpha * temperature * temperature * kl
                if s.indices.max(by: { s[$0] < s[$1] }) == label { correct += 1 }
                if gradient {
                    for j in 0..<o {
                        let hard = s[j] - (j == label ? 1 : 0)
                        (d + r * o)[j] = T(((1 - alpha) * hard + alpha * temperature * (p[j] - q[j])) / Double(rows))
                    }
                }
            }
            return BatchScore(loss: total / Double(rows), accuracy: Double(correct) / Double(rows))
        }
    }
}
