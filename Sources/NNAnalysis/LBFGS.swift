/// Limited-memory BFGS for smooth unconstrained minimisation (Nocedal & Wright 2006, Algorithm
/// 7.4 with the two-loop recursion 7.5 and a strong-Wolfe line search, Algorithms 3.5–3.6).
///
/// Near the optimum, where differences of f drown in round-off, the line search also accepts
/// Hager & Zhang's approximate Wolfe points (slopes stay accurate there), so the gradient can be
/// driven below what comparing values of f allows.
///
/// Stops when the largest gradient entry is at most `gradientTolerance` (converged), when a step
/// lowers f by a relative amount below `relativeReduction` (scipy's `ftol` test, also converged:
/// f has stopped moving in Float64), when the line search finds no lower point, or after
/// `maxIterations` iterations (both not converged).
public struct LBFGS: Sendable {
    /// Correction pairs kept (scipy's `maxcor`, default 10).
    public var memory = 10
    /// Stop when max |wᵢ·∂f/∂xᵢ| ≤ this (wᵢ from `gradientWeights`, else 1).
    public var gradientTolerance = 1e-10
    /// Per-coordinate factors for the gradient test: when x is a rescaled variable (xᵢ = sᵢ·θᵢ,
    /// a diagonal preconditioner), wᵢ = sᵢ states the test in θ's units (∂f/∂θᵢ = sᵢ·∂f/∂xᵢ).
    public var gradientWeights: [Double]?
    /// Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this (scipy's `ftol`; 0 disables).
    public var relativeReduction = 0.0
    /// Iteration cap (one line search each).
    public var maxIterations = 10_000
    /// Function evaluations per line search before giving up (sklearn passes `maxls` = 50).
    public var maxLineSearchEvaluations = 50

    public init() {}

    /// Where the minimisation stopped.
    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        /// max |wᵢ·∂f/∂xᵢ| at `x`.
        public let gradientMax: Double
        public let iterations: Int
        public let evaluations: Int
        public let converged: Bool
    }

    /// The objective: f(x), with ∂f/∂x written into `gradient` (same length as x).
    public typealias Objective = (_ x: [Double], _ gradient: inout [Double]) -> Double

    /// Minimises `f` from `start`.
    public func minimize(from start: [Double], _ f: Objective) -> Result {
        let n = start.count
        precondition(gradientWeights.map { $0.count == n } ?? true, "LBFGS: \(gradientWeights?.count ?? 0) gradient weights for \(n) variables")
        let weights = gradientWeights
        /// The gradient measure the tolerance applies to.
        func size(_ g: [Double]) -> Double {
            guard let weights else { return maxAbs(g) }
            var m = 0.0
            for i in g.indices { m = max(m, abs(g[i] * weights[i])) }
            return m
        }
        var x = start, g = [Double](repeating: 0, count: n)
        var value = f(x, &g)
        var evaluations = 1
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        var iteration = 0
        func result(_ converged: Bool) -> Result {
            Result(x: x, value: value, gradientMax: size(g), iterations: iteration, evaluations: evaluations, converged: converged)
        }
        while true {
            if size(g) <= gradientTolerance { return result(true) }
            if iteration >= maxIterations || !value.isFinite { return result(false) }
            var d = direction(g, s: s, y: y, rho: rho)
            if dot(d, g) >= 0 {   // not a descent direction (round-off): restart from steepest descent
                (s, y, rho) = ([], [], [])
                d = g.map { -$0 }
            }
            let initial = s.isEmpty ? min(1, 1 / max(norm(g), .leastNormalMagnitude)) : 1
            guard let step = lineSearch(f, x: x, value: value, gradient: g, direction: d, initial: initial, evaluations: &evaluations)
            else { return result(false) }
            iteration += 1
            let sk = zip(step.x, x).map { $0 - $1 }, yk = zip(step.gradient, g).map { $0 - $1 }
            let sy = dot(sk, yk)
            let previous = value
            (x, value, g) = (step.x, step.value, step.gradient)
            if sy > 1e-300 {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            if relativeReduction > 0, (previous - value) / max(abs(previous), abs(value), 1) <= relativeReduction { return result(true) }
        }
    }

    /// −H·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair.
    private func direction(_ g: [Double], s: [[Double]], y: [[Double]], rho: [Double]) -> [Double] {
        var q = g
        var alpha = [Double](repeating: 0, count: s.count)
        for i in s.indices.reversed() {
            alpha[i] = rho[i] * dot(s[i], q)
            axpy(-alpha[i], y[i], &q)
        }
        if let last = s.indices.last {
            let gamma = 1 / (rho[last] * dot(y[last], y[last]))
            for i in q.indices { q[i] *= gamma }
        }
        for i in s.indices {
            let beta = rho[i] * dot(y[i], q)
            axpy(alpha[i] - beta, s[i], &q)
        }
        return q.map { -$0 }
    }

    private struct Point { var step: Double; var x: [Double]; var value: Double; var gradient: [Double]; var slope: Double }

    /// A step along `d` meeting the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9) or, near the
    /// optimum where differences of f drown in round-off, Hager & Zhang's (2005) approximate Wolfe
    /// conditions (0.9·φ'(0) ≤ φ'(α) ≤ −0.8·φ'(0) and φ(α) ≤ φ(0) + 1e-12·|φ(0)|: slopes stay
    /// accurate when values no longer are); nil when no such point is found within
    /// `maxLineSearchEvaluations` evaluations and none lowered f.
    private func lineSearch(_ f: Objective, x: [Double], value f0: Double, gradient g0: [Double], direction d: [Double],
                            initial: Double, evaluations: inout Int) -> Point? {
        let (c1, c2) = (1e-4, 0.9)
        let slope0 = dot(g0, d)
        let start = Point(step: 0, x: x, value: f0, gradient: g0, slope: slope0)
        var budget = maxLineSearchEvaluations
        func evaluate(_ step: Double) -> Point {
            var xs = x
            axpy(step, d, &xs)
            var g = [Double](repeating: 0, count: x.count)
            let v = f(xs, &g)
            evaluations += 1
            budget -= 1
            return Point(step: step, x: xs, value: v, gradient: g, slope: dot(g, d))
        }
        func sufficient(_ p: Point) -> Bool { p.value <= f0 + c1 * p.step * slope0 }
        func curvature(_ p: Point) -> Bool { abs(p.slope) <= -c2 * slope0 }
        func acceptable(_ p: Point) -> Bool {
            (sufficient(p) && curvature(p))
                || (p.value <= f0 + 1e-12 * abs(f0) && p.slope >= c2 * slope0 && p.slope <= -0.8 * slope0)
        }
        /// The best acceptable point when the budget runs out: one that lowered f, if any.
        func fallback(_ p: Point) -> Point? { p.step > 0 && p.value < f0 ? p : nil }

        func zoom(_ low: Point, _ high: Point) -> Point? {
            var (lo, hi) = (low, high)
            while budget > 0 {
                let width = hi.step - lo.step
                guard abs(width) > 1e-16 * max(abs(lo.step), abs(hi.step)) else { return fallback(lo) }
                var step = cubicMinimum(lo, hi) ?? (lo.step + width / 2)
                let (a, b) = (lo.step + 0.1 * width, hi.step - 0.1 * width)
                step = min(max(step, min(a, b)), max(a, b))
                let p = evaluate(step)
                if p.value.isFinite, acceptable(p) { return p }
                if !p.value.isFinite || !sufficient(p) || p.value >= lo.value {
                    hi = p
                } else {
                    if curvature(p) { return p }
                    if p.slope * (hi.step - lo.step) >= 0 { hi = lo }
                    lo = p
                }
            }
            return fallback(lo)
        }

        var previous = start
        var step = initial
        while budget > 0 {
            let p = evaluate(step)
            if p.value.isFinite, acceptable(p) { return p }
            if !p.value.isFinite || !sufficient(p) || (previous.step > 0 && p.value >= previous.value) {
                return zoom(previous, p)
            }
            if curvature(p) { return p }
            if p.slope >= 0 { return zoom(p, previous) }
            previous = p
            step *= 4
        }
        return fallback(previous)
    }

    /// The minimiser of the cubic through two points with their values and slopes, if it exists.
    private func cubicMinimum(_ a: Point, _ b: Point) -> Double? {
        guard a.value.isFinite, b.value.isFinite else { return nil }
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
        let radicand = d1 * d1 - a.slope * b.slope
        guard radicand >= 0 else { return nil }
        let d2 = (b.step > a.step ? 1.0 : -1.0) * radicand.squareRoot()
        let denominator = b.slope - a.slope + 2 * d2
        guard denominator != 0 else { return nil }
        let step = b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator
        return step.isFinite ? step : nil
    }
}

@inline(__always) private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
}

@inline(__always) private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

@inline(__always) private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }

/// y ← y + α·x.
@inline(__always) private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    for i in y.indices { y[i] += alpha * x[i] }
}
