import Foundation
import NNLinalg

/// scikit-learn's L2-penalised logistic objective, divided by C·n (the form its lbfgs solver
/// minimises; same minimiser as C·Σᵢ lossᵢ + ½‖W‖²):
///
///     f(W, b) = (1/n) Σᵢ lossᵢ + ‖W‖²_F / (2·C·n),   intercepts b not penalised.
///
/// Multinomial (K ≥ 3 classes): zᵢ = W xᵢ + b (K scores), lossᵢ = logsumexp(zᵢ) − zᵢ,yᵢ;
/// ∂f/∂W = (P − Y)ᵀX / n + W/(C·n), ∂f/∂b = Σᵢ (pᵢ − yᵢ) / n, P the row softmax, Y one-hot.
/// Binomial (2 classes): zᵢ = w·xᵢ + b, lossᵢ = log(1 + eᶻⁱ) − yᵢ zᵢ with yᵢ ∈ {0, 1};
/// ∂f/∂w = Xᵀ(σ(z) − y) / n + w/(C·n), ∂f/∂b = Σᵢ (σ(zᵢ) − yᵢ) / n.
///
/// Parameters are one flat vector: W row-major (K × p, or 1 × p for the binomial), then b.
struct LogisticLoss {
    /// n × p.
    let x: Matrix<Double>
    /// Class index of each row, 0..<classes.
    let targets: [Int]
    let classes: Int
    let c: Double

    /// Scores per class (1 for the binomial).
    var outputs: Int { classes == 2 ? 1 : classes }
    var parameterCount: Int { outputs * (x.cols + 1) }

    /// f at `parameters`, with ∂f/∂parameters written into `gradient`.
    func evaluate(_ parameters: [Double], gradient: inout [Double]) -> Double {
        let (n, p, k) = (x.rows, x.cols, outputs)
        let w = Matrix(rows: k, cols: p, storage: Array(parameters[0..<(k * p)]))
        var z = Matrix<Double>(rows: n, cols: k)                                   // (n, K)
        gemm(x, w, transposeB: true, into: &z)
        var loss = 0.0
        for i in 0..<n {
            for j in 0..<k { z[i, j] += parameters[k * p + j] }
            loss += k == 1 ? binomial(&z.storage[i], target: targets[i]) : multinomial(&z.storage, row: i, width: k, target: targets[i])
        }
        // z now holds the residuals P − Y (n, K).
        var dw = Matrix<Double>(rows: k, cols: p)                                  // (K, p)
        gemm(z, transposeA: true, x, into: &dw)
        let scale = 1 / Double(n), penalty = 1 / (c * Double(n))
        var squared = 0.0
        for i in 0..<(k * p) {
            squared += w.storage[i] * w.storage[i]
            gradient[i] = dw.storage[i] * scale + w.storage[i] * penalty
        }
        for j in 0..<k {
            var total = 0.0
            for i in 0..<n { total += z[i, j] }
            gradient[k * p + j] = total * scale
        }
        return loss * scale + 0.5 * squared * penalty
    }

    /// log(1 + eᶻ) − y·z; `z` becomes σ(z) − y.
    @inline(__always) private func binomial(_ z: inout Double, target: Int) -> Double {
        let y = Double(target), v = z
        let softplus = v > 0 ? v + log1p(exp(-v)) : log1p(exp(v))
        z = (v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v))) - y
        return softplus - y * v
    }

    /// logsumexp(z) − z_y (the row maximum subtracted first); the row becomes softmax(z) − onehot(y).
    @inline(__always) private func multinomial(_ z: inout [Double], row i: Int, width k: Int, target: Int) -> Double {
        let base = i * k
        let score = z[base + target]
        var top = z[base]
        for j in 1..<k { top = max(top, z[base + j]) }
        var total = 0.0
        for j in 0..<k {
            let e = exp(z[base + j] - top)
            z[base + j] = e
            total += e
        }
        let loss = log(total) + top - score
        for j in 0..<k { z[base + j] /= total }
        z[base + target] -= 1
        return loss
    }
}
