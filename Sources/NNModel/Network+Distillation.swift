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
            var total = 0.0
            var correct = 0
            var logS: [Double] = [], logP: [Double] = [], logQ: [Double] = []
            for r in 0..<rows {
                let label = Int(workspace.labels[r])
                logSoftmax(z + r * o, width: o, into: &logS)
                logSoftmax(z + r * o, width: o, temperature: temperature, into: &logP)
                logSoftmax(teacher + r * o, width: o, temperature: temperature, into: &logQ)
                let kl = zip(logQ, logP).reduce(0.0) { $0 + exp($1.0) * ($1.0 - $1.1) }
                total += (1 - alpha) * -logS[label] + alpha * temperature * temperature * kl
                if argMax(z + r * o, width: o) == label { correct += 1 }
                if gradient {
                    for j in 0..<o {
                        let hard = exp(logS[j]) - (j == label ? 1 : 0)
                        (d + r * o)[j] = T(((1 - alpha) * hard + alpha * temperature * (exp(logP[j]) - exp(logQ[j]))) / Double(rows))
                    }
                }
            }
            return BatchScore(loss: total / Double(rows), accuracy: Double(correct) / Double(rows))
        }
    }
}
