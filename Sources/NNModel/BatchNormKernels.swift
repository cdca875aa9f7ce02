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
    if positions > 1 {
        batchNormTrainForwardPlanes(z: z, xhat: xhat, mean: mean, invStd: invStd, gamma: gamma, beta: beta,
                                    runningMean: runningMean, runningVar: runningVar, batch: batch, channels: channels,
                                    positions: positions, eps: eps, momentum: momentum)
        return
    }
    // P = 1: rows of C values; each channel's sums run over rows in order, C channels side by side.
    for c in 0..<channels { mean[c] = 0; invStd[c] = 0 }
    for b in 0..<batch {
        let row = z + b * channels
        for c in 0..<channels { mean[c] += row[c] }
    }
    for c in 0..<channels { mean[c] /= n }
    for b in 0..<batch {
        let row = z + b * channels
        for c in 0..<channels { let d = row[c] - mean[c]; invStd[c] += d * d }   // Σ (z − μ)², for now
    }
    let m = T(momentum)
    for c in 0..<channels {
        let variance = invStd[c] / n
        let unbiased = count > 1 ? invStd[c] / T(count - 1) : variance
        runningMean[c] = (1 - m) * runningMean[c] + m * mean[c]
        runningVar[c] = (1 - m) * runningVar[c] + m * unbiased
        invStd[c] = 1 / (variance + T(eps)).squareRoot()
    }
    for b in 0..<batch {
        let row = z + b * channels, rowHat = xhat + b * channels
        for c in 0..<channels {
            rowHat[c] = (row[c] - mean[c]) * invStd[c]
            row[c] = gamma[c] * rowHat[c] + beta[c]
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
    withUnsafeTemporaryAllocation(of: T.self, capacity: channels) { roots in
        let root = roots.baseAddress!   // √(running_var + ε) per channel, taken once
        for c in 0..<channels { root[c] = (runningVar[c] + T(eps)).squareRoot() }
        var plane = z
        for _ in 0..<batch {
            for c in 0..<channels {
                for k in 0..<positions { plane[k] = gamma[c] * (plane[k] - runningMean[c]) / root[c] + beta[c] }
                plane += positions
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
    if positions > 1 {
        batchNormBackwardPlanes(d: d, xhat: xhat, invStd: invStd, gamma: gamma, dGamma: dGamma, dBeta: dBeta,
                                batch: batch, channels: channels, positions: positions)
        return
    }
    // P = 1: rows of C values, as in the forward pass. scratch[0..<C] = Σ d̂, scratch[C..<2C] = Σ d̂·x̂
    let sumHat = scratch, sumHatX = scratch + channels
    scratch.update(repeating: 0, count: 2 * channels)
    for b in 0..<batch {
        let dRow = d + b * channels, xRow = xhat + b * channels
        for c in 0..<channels {
            dGamma[c] += dRow[c] * xRow[c]
            dBeta[c] += dRow[c]
            let dh = dRow[c] * gamma[c]
            sumHat[c] += dh
            sumHatX[c] += dh * xRow[c]
        }
    }
    let n = T(batch)
    for b in 0..<batch {
        let dRow = d + b * channels, xRow = xhat + b * channels
        for c in 0..<channels {
            let dh = dRow[c] * gamma[c]
            dRow[c] = invStd[c] / n * (n * dh - sumHat[c] - xRow[c] * sumHatX[c])
        }
    }
}

// BatchNorm2d (P > 1): each (example, channel) plane of P values is contiguous, so the
// statistics are sums over planes, each in eight interleaved partial sums (independent
// additions pipeline and vectorise; one running sum would wait on every addition).

/// Σ p[0..<n].
@inline(__always)
func planeSum<T: LinalgScalar>(_ p: UnsafePointer<T>, _ n: Int) -> T {
    planeDot(p, nil, n, shift: 0)
}

/// Σ (p[i] − shift)·(q[i] − shift), or Σ (p[i] − shift) without q, over i < n.
@inline(__always)
func planeDot<T: LinalgScalar>(_ p: UnsafePointer<T>, _ q: UnsafePointer<T>?, _ n: Int, shift: T) -> T {
    var s0 = T.zero, s1 = T.zero, s2 = T.zero, s3 = T.zero, s4 = T.zero, s5 = T.zero, s6 = T.zero, s7 = T.zero
    var i = 0
    if let q {
        while i + 8 <= n {
            s0 += (p[i] - shift) * (q[i] - shift); s1 += (p[i + 1] - shift) * (q[i + 1] - shift)
            s2 += (p[i + 2] - shift) * (q[i + 2] - shift); s3 += (p[i + 3] - shift) * (q[i + 3] - shift)
            s4 += (p[i + 4] - shift) * (q[i + 4] - shift); s5 += (p[i + 5] - shift) * (q[i + 5] - shift)
            s6 += (p[i + 6] - shift) * (q[i + 6] - shift); s7 += (p[i + 7] - shift) * (q[i + 7] - shift)
            i += 8
        }
        while i < n { s0 += (p[i] - shift) * (q[i] - shift); i += 1 }
    } else {
        while i + 8 <= n {
            s0 += p[i] - shift; s1 += p[i + 1] - shift; s2 += p[i + 2] - shift; s3 += p[i + 3] - shift
            s4 += p[i + 4] - shift; s5 += p[i + 5] - shift; s6 += p[i + 6] - shift; s7 += p[i + 7] - shift
            i += 8
        }
        while i < n { s0 += p[i] - shift; i += 1 }
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

/// `batchNormTrainForward` for P > 1, plane by plane.
@inline(__always)
func batchNormTrainForwardPlanes<T: LinalgScalar>(
    z: UnsafeMutablePointer<T>, xhat: UnsafeMutablePointer<T>, mean: UnsafeMutablePointer<T>,
    invStd: UnsafeMutablePointer<T>, gamma: UnsafePointer<T>, beta: UnsafePointer<T>,
    runningMean: UnsafeMutablePointer<T>, runningVar: UnsafeMutablePointer<T>,
    batch: Int, channels: Int, positions: Int, eps: Double, momentum: Double
) {
    let count = batch * positions, n = T(count), m = T(momentum)
    for c in 0..<channels {
        var sum = T.zero
        for b in 0..<batch { sum += planeSum(z + (b * channels + c) * positions, positions) }
        let mu = sum / n
        var squares = T.zero   // Σ (z − μ)²
        for b in 0..<batch {
            let plane = z + (b * channels + c) * positions
            squares += planeDot(plane, plane, positions, shift: mu)
        }
        let variance = squares / n
        let unbiased = count > 1 ? squares / T(count - 1) : variance
        runningMean[c] = (1 - m) * runningMean[c] + m * mu
        runningVar[c] = (1 - m) * runningVar[c] + m * unbiased
        let s = 1 / (variance + T(eps)).squareRoot(), g = gamma[c], bias = beta[c]
        (mean[c], invStd[c]) = (mu, s)
        for b in 0..<batch {
            let offset = (b * channels + c) * positions
            let plane = z + offset, hat = xhat + offset
            for p in 0..<positions {
                let h = (plane[p] - mu) * s
                hat[p] = h
                plane[p] = g * h + bias
            }
        }
    }
}

/// `batchNormBackward` for P > 1, plane by plane: per channel, with S = Σ d and
/// Sx = Σ d·x̂ over its n values, d ← γ·invStd·(d − S/n − x̂·Sx/n).
@inline(__always)
func batchNormBackwardPlanes<T: LinalgScalar>(
    d: UnsafeMutablePointer<T>, xhat: UnsafePointer<T>, invStd: UnsafePointer<T>, gamma: UnsafePointer<T>,
    dGamma: UnsafeMutablePointer<T>, dBeta: UnsafeMutablePointer<T>, batch: Int, channels: Int, positions: Int
) {
    let n = T(batch * positions)
    for c in 0..<channels {
        var sum = T.zero, dotXhat = T.zero
        for b in 0..<batch {
            let offset = (b * channels + c) * positions
            sum += planeSum(d + offset, positions)
            dotXhat += planeDot(d + offset, xhat + offset, positions, shift: 0)
        }
        dGamma[c] += dotXhat
        dBeta[c] += sum
        let scale = gamma[c] * invStd[c], meanD = sum / n, meanDX = dotXhat / n
        for b in 0..<batch {
            let offset = (b * channels + c) * positions
            let plane = d + offset, hat = xhat + offset
            for p in 0..<positions { plane[p] = scale * (plane[p] - meanD - hat[p] * meanDX) }
        }
    }
}

