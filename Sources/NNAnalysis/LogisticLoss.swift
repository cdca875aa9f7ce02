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
/// Parameters are one flat vector: W row-major (K × p, or 1 × p for the binomial), then b —
/// with W's column j stored multiplied by `scale[j]` (a diagonal preconditioner: L-BFGS then
/// works in units where the features have similar size; f and its minimiser are unchanged).
struct LogisticLoss {
    /// n × p.
    let x: Matrix<Double>
    /// Class index of each row, 0..<classes.
    let targets: [Int]
    let classes: Int
    let c: Double
    /// Per feature: W[k, j] = parameters[k·p + j] / scale[j].
    let scale: [Double]

    /// The loss of `x` against `targets`; each feature's scale is the square root of the
    /// objective's curvature along its coefficient at W = 0, q·mean(x_j²) + 1/(C·n) with
    /// q = (1/K)(1 − 1/K) (¼ for the binomial): Jacobi preconditioning, which evens out features
    /// of different sizes without inflating those the penalty dominates.
    init(x: Matrix<Double>, targets: [Int], classes: Int, c: Double) {
        (self.x, self.targets, self.classes, self.c) = (x, targets, classes, c)
        let n = Double(max(1, x.rows)), k = Double(classes)
        let q = classes == 2 ? 0.25 : (1 / k) * (1 - 1 / k)
        var squares = [Double](repeating: 0, count: x.cols)
        for i in 0..<x.rows { for j in 0..<x.cols { squares[j] += x[i, j] * x[i, j] } }
        scale = squares.map { (q * $0 / n + 1 / (c * n)).squareRoot() }
    }

    /// Scores per class (1 for the binomial).
    var outputs: Int { classes == 2 ? 1 : classes }
    var parameterCount: Int { outputs * (x.cols + 1) }

    /// f at `parameters`, with ∂f/∂parameters written into `gradient`.
    func evaluate(_ parameters: [Double], gradient: inout [Double]) -> Double {
        let (n, p, k) = (x.rows, x.cols, outputs)
        let w = coefficients(parameters)
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
        let perRow = 1 / Double(n), penalty = 1 / (c * Double(n))
        var squared = 0.0
        for i in 0..<(k * p) {
            squared += w.storage[i] * w.storage[i]
            gradient[i] = (dw.storage[i] * perRow + w.storage[i] * penalty) / scale[i % p]
        }
        for j in 0..<k {
            var total = 0.0
            for i in 0..<n { total += z[i, j] }
            gradient[k * p + j] = total * perRow
        }
        return loss * perRow + 0.5 * squared * penalty
    }

    /// W (K × p, or 1 × p) in the features' own units.
    func coefficients(_ parameters: [Double]) -> Matrix<Double> {
        let p = x.cols
        return Matrix(rows: outputs, cols: p, storage: (0..<(outputs * p)).map { parameters[$0] / scale[$0 % p] })
    }

    /// The factor turning each parameter's partial derivative into the one in the features' units.
    var gradientWeights: [Double] {
        (0..<(outputs * x.cols)).map { scale[$0 % x.cols] } + [Double](repeating: 1, count: outputs)
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
