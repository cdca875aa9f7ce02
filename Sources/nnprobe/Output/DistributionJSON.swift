import NNAnalysis

/// A `Distribution` as JSON: `count`, `mean`, `std`, `min`, `q25`, `median`, `q75`, `max`.
struct DistributionJSON: Encodable {
    let count: Int
    let mean, std, min, q25, median, q75, max: JSONNumber

    init(_ values: [Double]) {
        let d = Distribution(values)
        count = d.count
        mean = JSONNumber(d.mean); std = JSONNumber(d.std); min = JSONNumber(d.min); q25 = JSONNumber(d.q25)
        median = JSONNumber(d.median); q75 = JSONNumber(d.q75); max = JSONNumber(d.max)
    }

    /// `mean ± std [min, max]` for tables.
    var text: String {
        "\(formatNumber(mean.value)) ± \(formatNumber(std.value)) [\(formatNumber(min.value)), \(formatNumber(max.value))]"
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
