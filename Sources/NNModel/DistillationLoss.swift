import Foundation
import NNLinalg

/// Knowledge-distillation score of `rows` student logits `z` (rows × `width`) against `labels`
/// and the teacher's logits `teacher` (same shape); when `gradient` is given, ∂L/∂z is written there.
///
/// L = (1 − α)·CE(softmax(z), y) + α·T²·KL(q ‖ p), q = softmax(t/T), p = softmax(z/T), means over
/// the batch (Hinton et al. 2015). ∂L/∂z = [(1 − α)(softmax(z) − onehot(y)) + α·T·(p − q)] / B.
@_specialize(where T == Float)
@_specialize(where T == Double)
public func distillationScore<T: LinalgScalar>(_ z: UnsafePointer<T>, rows: Int, width o: Int, teacher: UnsafePointer<T>,
                                               labels: UnsafePointer<Int32>, temperature: Double, alpha: Double,
                                               gradient d: UnsafeMutablePointer<T>?) -> BatchScore {
    guard rows > 0, o > 0 else { return BatchScore(loss: .nan, accuracy: .nan) }
    var total = 0.0
    var correct = 0
    var logS: [Double] = [], logP: [Double] = [], logQ: [Double] = []
    for r in 0..<rows {
        let label = Int(labels[r])
        logSoftmax(z + r * o, width: o, into: &logS)
        logSoftmax(z + r * o, width: o, temperature: temperature, into: &logP)
        logSoftmax(teacher + r * o, width: o, temperature: temperature, into: &logQ)
        let kl = zip(logQ, logP).reduce(0.0) { $0 + exp($1.0) * ($1.0 - $1.1) }
        total += (1 - alpha) * -logS[label] + alpha * temperature * temperature * kl
        if argMax(z + r * o, width: o) == label { correct += 1 }
        if let d {
            for j in 0..<o {
                let hard = exp(logS[j]) - (j == label ? 1 : 0)
                (d + r * o)[j] = T(((1 - alpha) * hard + alpha * temperature * (exp(logP[j]) - exp(logQ[j]))) / Double(rows))
            }
        }
    }
    return BatchScore(loss: total / Double(rows), accuracy: Double(correct) / Double(rows))
}
