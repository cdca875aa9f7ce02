/// Updates the trainable parameters from their gradients, with PyTorch's update rules:
///
/// - SGD: g ← g + λp; b ← μb + g (b = g on the first step); p ← p − η·b.
/// - Adam: g ← g + λp; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
///   p ← p − (η/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε).
/// - AdamW: p ← p·(1 − ηλ), then Adam without the λp term.
///
/// Only tensors in `trainable` move, so frozen layers stay put.
public struct Optimizer {
    public let kind: OptimizerKind
    private let momentum: Float, weightDecay: Float, beta1: Float, beta2: Float, eps: Float
    /// Parameter ranges that are updated.
    private let trainable: [Range<Int>]
    private var first: [Float], second: [Float]
    private var step = 0

    public init(config: TrainingConfig, parameterCount: Int, trainable: [Range<Int>]) {
        kind = config.optimizer
        momentum = Float(config.momentum)
        weightDecay = Float(config.weightDecay)
        beta1 = Float(config.beta1)
        beta2 = Float(config.beta2)
        eps = Float(config.adamEps)
        self.trainable = trainable
        first = Array(repeating: 0, count: parameterCount)
        second = Array(repeating: 0, count: kind == .sgd ? 0 : parameterCount)
    }

    /// Applies one update with learning rate `lr`.
    public mutating func update(parameters: inout [Float], gradients: [Float], lr: Double) {
        step += 1
        let eta = Float(lr)
        let decay = weightDecay, mu = momentum, b1 = beta1, b2 = beta2, eps = eps, kind = kind
        let firstStep = step == 1
        let correction1 = 1 - Float(Double(beta1).power(step)), correction2Root = (1 - Float(Double(beta2).power(step))).squareRoot()
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        for range in trainable {
                            switch kind {
                            case .sgd:
                                for i in range {
                                    var grad = g[i] + decay * p[i]
                                    if mu != 0 {
                                        m[i] = firstStep ? grad : mu * m[i] + grad
                                        grad = m[i]
                                    }
                                    p[i] -= eta * grad
                                }
                            case .adam, .adamw:
                                let stepSize = eta / correction1
                                for i in range {
                                    var grad = g[i]
                                    if kind == .adam { grad += decay * p[i] } else { p[i] *= 1 - eta * decay }
                                    m[i] = b1 * m[i] + (1 - b1) * grad
                                    v[i] = b2 * v[i] + (1 - b2) * grad * grad
                                    p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Double {
    /// self raised to a non-negative integer power.
    func power(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= self }
        return result
    }
}
