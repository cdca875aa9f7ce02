import Foundation

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

    public init(settings: OptimizationSettings, parameterCount: Int, trainable: [Range<Int>]) {
        kind = settings.optimizer
        momentum = Float(settings.momentum)
        weightDecay = Float(settings.weightDecay)
        beta1 = Float(settings.beta1)
        beta2 = Float(settings.beta2)
        eps = Float(settings.adamEps)
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
        let correction1 = Float(1 - pow(Double(beta1), Double(step)))
        let correction2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
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
                                // Plain pointer loops with every load unconditional vectorise.
                                let stepSize = eta / correction1
                                let shrink: Float = kind == .adamw ? 1 - eta * decay : 1
                                let l2: Float = kind == .adam ? decay : 0
                                let pp = p.baseAddress!, gp = g.baseAddress!, mp = m.baseAddress!, vp = v.baseAddress!
                                var i = range.lowerBound
                                while i + 8 <= range.upperBound {   // eight lanes at a time
                                    let pi = load8(pp + i), grad = load8(gp + i) + l2 * pi
                                    let mi = b1 * load8(mp + i) + (1 - b1) * grad
                                    let vi = b2 * load8(vp + i) + (1 - b2) * grad * grad
                                    store8(mi, mp + i)
                                    store8(vi, vp + i)
                                    store8(pi * shrink - stepSize * mi / (vi.squareRoot() / correction2Root + eps), pp + i)
                                    i += 8
                                }
                                while i < range.upperBound {
                                    let grad = gp[i] + l2 * pp[i]
                                    mp[i] = b1 * mp[i] + (1 - b1) * grad
                                    vp[i] = b2 * vp[i] + (1 - b2) * grad * grad
                                    pp[i] = pp[i] * shrink - stepSize * mp[i] / (vp[i].squareRoot() / correction2Root + eps)
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

@inline(__always) private func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) private func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
