import NNLinalg

// Batch norm over N × C × P values (NCHW with P = H·W positions; P = 1 is BatchNorm1d on
// N × C rows): statistics per channel over its N·P values, as PyTorch's BatchNorm1d/2d. Loops
// run batch → channel → position, so with P = 1 the channel loop is innermost and contiguous.

/// Training-mode forward, in place on z (N × C × P): per channel the batch mean and biased
/// variance over its N·P values, x̂ = (z − μ)/√(σ² + ε), z ← γ x̂ + β; the running statistics
/// move by `momentum` (with the unbiased variance).
@inline(__always)
func batchNormTrainForward<T: LinalgScalar>(
    z: UnsafeMutablePointer<T>, xhat: UnsafeMutablePointer<T>, mean: UnsafeMutablePointer<T>,
    invStd: UnsafeMutablePointer<T>, gamma: UnsafePointer<T>, beta: UnsafePointer<T>,
    runningMean: UnsafeMutablePointer<T>, runningVar: UnsafeMutablePointer<T>,
    batch: Int, channels: Int, positions: Int = 1, eps: Double, momentum: Double
) {
    let count = batch * positions, n = T(count)
    for c in 0..<channels { mean[c] = 0; invStd[c] = 0 }
    var k = 0
    for _ in 0..<batch { for c in 0..<channels { for _ in 0..<positions { mean[c] += z[k]; k += 1 } } }
    for c in 0..<channels { mean[c] /= n }
    k = 0
    for _ in 0..<batch {
        for c in 0..<channels { for _ in 0..<positions { let d = z[k] - mean[c]; invStd[c] += d * d; k += 1 } }   // Σ (z − μ)², for now
    }
    let m = T(momentum)
    for c in 0..<channels {
        let variance = invStd[c] / n
        let unbiased = count > 1 ? invStd[c] / T(count - 1) : variance
        runningMean[c] = (1 - m) * runningMean[c] + m * mean[c]
        runningVar[c] = (1 - m) * runningVar[c] + m * unbiased
        invStd[c] = 1 / (variance + T(eps)).squareRoot()
    }
    k = 0
    for _ in 0..<batch {
        for c in 0..<channels {
            for _ in 0..<positions {
                xhat[k] = (z[k] - mean[c]) * invStd[c]
                z[k] = gamma[c] * xhat[k] + beta[c]
                k += 1
            }
        }
    }
}

/// Evaluation-mode forward, in place: z ← γ (z − running_mean)/√(running_var + ε) + β per channel.
@inline(__always)
func batchNormEvalForward<T: LinalgScalar>(
    z: UnsafeMutablePointer<T>, gamma: UnsafePointer<T>, beta: UnsafePointer<T>,
    runningMean: UnsafePointer<T>, runningVar: UnsafePointer<T>,
    batch: Int, channels: Int, positions: Int = 1, eps: Double
) {
    var k = 0
    for _ in 0..<batch {
        for c in 0..<channels {
            for _ in 0..<positions {
                z[k] = gamma[c] * (z[k] - runningMean[c]) / (runningVar[c] + T(eps)).squareRoot() + beta[c]
                k += 1
            }
        }
    }
}

/// Backward with the batch's statistics, in place on d (N × C × P, the gradient w.r.t. the
/// output): dγ += Σ d·x̂, dβ += Σ d, and per channel over its n = N·P values
/// d ← (invStd / n)·(n·d̂ − Σ d̂ − x̂·Σ d̂·x̂) with d̂ = d·γ. `scratch` holds 2C values.
@inline(__always)
func batchNormBackward<T: LinalgScalar>(
    d: UnsafeMutablePointer<T>, xhat: UnsafePointer<T>, invStd: UnsafePointer<T>, gamma: UnsafePointer<T>,
    dGamma: UnsafeMutablePointer<T>, dBeta: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<T>,
    batch: Int, channels: Int, positions: Int = 1
) {
    // scratch[0..<C] = Σ d̂, scratch[C..<2C] = Σ d̂·x̂
    scratch.update(repeating: 0, count: 2 * channels)
    var k = 0
    for _ in 0..<batch {
        for c in 0..<channels {
            for _ in 0..<positions {
                dGamma[c] += d[k] * xhat[k]
                dBeta[c] += d[k]
                let dh = d[k] * gamma[c]
                scratch[c] += dh
                scratch[channels + c] += dh * xhat[k]
                k += 1
            }
        }
    }
    let n = T(batch * positions)
    k = 0
    for _ in 0..<batch {
        for c in 0..<channels {
            for _ in 0..<positions {
                let dh = d[k] * gamma[c]
                d[k] = invStd[c] / n * (n * dh - scratch[c] - xhat[k] * scratch[channels + c])
                k += 1
            }
        }
    }
}
