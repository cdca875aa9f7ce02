import NNAnalysis

/// A `Distribution` as JSON: `count`, `mean`, `std`, `min`, `q25`, `median`, `q75`, `max`.
public struct DistributionSummary: Encodable, Sendable {
    public let count: Int
    public let mean, std, min, q25, median, q75, max: Double

    /// The summary of the finite values of `values`.
    public init(_ values: [Double]) {
        let d = Distribution(values)
        count = d.count
        mean = d.mean; std = d.std; min = d.min; q25 = d.q25
        median = d.median; q75 = d.q75; max = d.max
    }
}
