import NNLinalg
import Testing
@testable import NNModel

/// Batch norm over N × C × P (P positions per channel: 2-d batch norm; P = 1: 1-d) against its
/// definition and central differences (Float64).
@Suite struct BatchNormKernelTests {
    let batch = 3, channels = 2, positions = 5

    /// The outputs for input z, and the batch statistics' running values after one step.
    func forward(_ z: [Double], gamma: [Double], beta: [Double]) -> (out: [Double], xhat: [Double], invStd: [Double], running: [Double]) {
        var out = z, xhat = z, mean = [Double](repeating: 0, count: channels), invStd = mean
        var runningMean = mean, runningVar = [Double](repeating: 1, count: channels)
        batchNormTrainForward(z: &out, xhat: &xhat, mean: &mean, invStd: &invStd, gamma: gamma, beta: beta,
                              runningMean: &runningMean, runningVar: &runningVar,
                              batch: batch, channels: channels, positions: positions, eps: 1e-5, momentum: 0.1)
        return (out, xhat, invStd, runningMean + runningVar)
    }

    @Test func normalisesEachChannelOverBatchAndPositions() {
        let z = ConvKernelTests.values(batch * channels * positions, seed: 20).map { $0 * 3 + 1 }
        let gamma = [1.5, -0.5], beta = [0.25, 2]
        let (out, _, _, running) = forward(z, gamma: gamma, beta: beta)
        for c in 0..<channels {
            let values = (0..<batch).flatMap { b in (0..<positions).map { z[(b * channels + c) * positions + $0] } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            for b in 0..<batch {
                for p in 0..<positions {
                    let k = (b * channels + c) * positions + p
                    #expect(abs(out[k] - (gamma[c] * (z[k] - mean) / (variance + 1e-5).squareRoot() + beta[c])) < 1e-12)
                }
            }
            // PyTorch: running ← 0.9·running + 0.1·batch statistic, the variance unbiased (n − 1).
            #expect(abs(running[c] - 0.1 * mean) < 1e-14)
            #expect(abs(running[channels + c] - (0.9 + 0.1 * variance * Double(values.count) / Double(values.count - 1))) < 1e-14)
        }
    }

    @Test func backwardIsTheCentralDifference() {
        var z = ConvKernelTests.values(batch * channels * positions, seed: 21)
        var gamma = [0.7, 1.3], beta = [0.1, -0.2]
        let r = ConvKernelTests.values(z.count, seed: 22)
        func loss() -> Double { zip(forward(z, gamma: gamma, beta: beta).out, r).reduce(0) { $0 + $1.0 * $1.1 } }
        let (_, xhat, invStd, _) = forward(z, gamma: gamma, beta: beta)
        var d = r, dGamma = [0.0, 0], dBeta = [0.0, 0], scratch = [Double](repeating: 0, count: 2 * channels)
        batchNormBackward(d: &d, xhat: xhat, invStd: invStd, gamma: gamma, dGamma: &dGamma, dBeta: &dBeta, scratch: &scratch,
                          batch: batch, channels: channels, positions: positions)
        func central(_ nudge: (Double) -> Void) -> Double { centralDifference(of: loss, nudge: nudge) }
        var worst = 0.0
        for k in z.indices { worst = max(worst, abs(central { z[k] += $0 } - d[k])) }
        for c in 0..<channels {
            worst = max(worst, abs(central { gamma[c] += $0 } - dGamma[c]), abs(central { beta[c] += $0 } - dBeta[c]))
        }
        #expect(worst < 1e-7)
    }

    /// Evaluation mode is the affine map of the running statistics, per channel.
    @Test func evaluationUsesTheRunningStatistics() {
        var z = ConvKernelTests.values(batch * channels * positions, seed: 23)
        let original = z
        batchNormEvalForward(z: &z, gamma: [2, 3], beta: [1, -1], runningMean: [0.5, -0.5], runningVar: [4, 0.25],
                             batch: batch, channels: channels, positions: positions, eps: 0)
        for k in z.indices {
            let c = (k / positions) % channels
            let expected = c == 0 ? 2 * (original[k] - 0.5) / 2 + 1 : 3 * (original[k] + 0.5) / 0.5 - 1
            #expect(abs(z[k] - expected) < 1e-14)
        }
    }
}
