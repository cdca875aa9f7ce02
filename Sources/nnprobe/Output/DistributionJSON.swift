import NNAnalysis

/// A `Distribution` as JSON: `count`, `mean`, `std`, `min`, `q25`, `median`, `q75`, `max`.
struct DistributionJSON: Encodable {
    let count: Int
    let mean, std, min, q25, median, q75, max: Double

    init(_ values: [Double]) {
        let d = Distribution(values)
        count = d.count
        mean = d.mean; std = d.std; min = d.min; q25 = d.q25
        median = d.median; q75 = d.q75; max = d.max
    }

    /// `mean ± std [min, max]` for tables.
    var text: String {
        "\(formatNumber(mean)) ± \(formatNumber(std)) [\(formatNumber(min)), \(formatNumber(max))]"
    }
}

/// Per name (a layer, a metric), the distribution of its values across checkpoints, in first-seen order.
func distributions(_ samples: [(key: String, value: Double)]) -> [(key: String, distribution: DistributionJSON)] {
    var order: [String] = []
    var values: [String: [Double]] = [:]
    for (key, value) in samples {
        if values[key] == nil { order.append(key) }
        values[key, default: []].append(value)
    }
    return order.map { ($0, DistributionJSON(values[$0]!)) }
}

/// Encodes an ordered list of named distributions as a JSON object.
struct NamedDistributions: Encodable {
    let entries: [(key: String, distribution: DistributionJSON)]
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, d) in entries { try container.encode(d, forKey: AnyCodingKey(key)) }
    }
}

struct AnyCodingKey: CodingKey {
    let stringValue: String
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
