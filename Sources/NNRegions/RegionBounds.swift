import Foundation

/// Theoretical counts of linear regions for a ReLU architecture with input dimension n₀ and
/// hidden widths n₁ … n_L.
public enum RegionBounds {
    /// Regions of n hyperplanes in general position in ℝ^d: Σ_{k=0}^{d} C(n, k)
    /// (137 for d = 2, n = 16): the exact maximum for one hidden layer.
    public static func hyperplaneArrangement(inputs d: Int, hyperplanes n: Int) -> Double {
        (0...min(d, n)).reduce(0) { $0 + binomial(n, $1) }
    }

    /// Montúfar, Pascanu, Cho & Bengio (2014): a deep net can reach at least
    /// (Π_{l<L} ⌊n_l/d⌋^d) · Σ_{j=0}^{d} C(n_L, j) regions (a lower bound on the maximum), with
    /// d = n₀ as in the paper, whose construction needs every n_l ≥ n₀. When a layer is narrower,
    /// d = min(n₀, n₁, …, n_L): the construction then runs in a d-dimensional subspace of the
    /// input, and its regions there are regions of the whole input space.
    public static func montufar(inputs n0: Int, widths: [Int]) -> Double {
        guard let last = widths.last else { return 1 }
        let d = min(n0, widths.min()!)
        guard d >= 1 else { return 1 }
        let product = widths.dropLast().reduce(1.0) { $0 * pow(Double($1 / d), Double(d)) }
        return product * hyperplaneArrangement(inputs: d, hyperplanes: last)
    }

    /// Serra, Tjandraatmadja & Ramalingam (2018), Theorem 1: at most
    /// Σ_{(j₁…j_L)∈J} Π_l C(n_l, j_l), with J = {0 ≤ j_l ≤ min(n₀, n₁ − j₁, …, n_{l−1} − j_{l−1}, n_l)}.
    public static func serra(inputs n0: Int, widths: [Int]) -> Double {
        // f(l, d): the sum over layers l… when the dimension budget so far is d.
        var memo: [Int: Double] = [:]
        func f(_ l: Int, _ d: Int) -> Double {
            if l == widths.count { return 1 }
            let key = l * 1_000_003 + d
            if let cached = memo[key] { return cached }
            let n = widths[l]
            var total = 0.0
            for j in 0...min(d, n) { total += binomial(n, j) * f(l + 1, min(d, n - j)) }
            memo[key] = total
            return total
        }
        return f(0, n0)
    }

    /// C(n, k) as a Double.
    public static func binomial(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        var result = 1.0
        for i in 0..<min(k, n - k) { result = result * Double(n - i) / Double(i + 1) }
        return result.rounded()
    }
}
