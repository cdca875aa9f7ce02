/// Summary of one number across many checkpoints: mean, sample standard deviation (n − 1),
/// extremes and quartiles (linear interpolation, numpy's default).
public struct Distribution: Equatable, Sendable {
    public let count: Int
    public let mean: Double
    public let std: Double
    public let min: Double
    public let q25: Double
    public let median: Double
    public let q75: Double
    public let max: Double

    /// Summarises the finite values of `values` (NaN when none are finite).
    public init(_ values: [Double]) {
        let v = values.filter(\.isFinite).sorted()
        count = v.count
        guard !v.isEmpty else {
            mean = .nan; std = .nan; min = .nan; q25 = .nan; median = .nan; q75 = .nan; max = .nan
            return
        }
        let m = v.reduce(0, +) / Double(v.count)
        mean = m
        std = v.count > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() : 0
        min = v[0]
        max = v[v.count - 1]
        func quantile(_ q: Double) -> Double {
            let position = q * Double(v.count - 1)
            let low = Int(position.rounded(.down)), high = Swift.min(low + 1, v.count - 1)
            return v[low] + (v[high] - v[low]) * (position - Double(low))
        }
        q25 = quantile(0.25)
        median = quantile(0.5)
        q75 = quantile(0.75)
    }
}
