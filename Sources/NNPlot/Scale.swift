import Foundation

/// Maps data values to a pixel interval, linearly or logarithmically.
public struct Scale: Sendable {
    public enum Kind: Sendable { case linear, log }
    public let kind: Kind
    /// Data range (for log scales, both ends positive).
    public let domain: ClosedRange<Double>
    /// Pixel range; may run backwards (y axes grow upwards).
    public let range: (Double, Double)

    public init(_ kind: Kind = .linear, domain: ClosedRange<Double>, range: (Double, Double)) {
        self.kind = kind
        self.domain = domain
        self.range = range
    }

    private func transform(_ x: Double) -> Double { kind == .log ? log10(max(x, .leastNonzeroMagnitude)) : x }

    /// The pixel position of `x`.
    public func callAsFunction(_ x: Double) -> Double {
        let lo = transform(domain.lowerBound), hi = transform(domain.upperBound)
        let t = hi > lo ? (transform(x) - lo) / (hi - lo) : 0.5
        return range.0 + t * (range.1 - range.0)
    }

    /// Tick values: "nice" steps (1, 2, 5 × 10ᵏ) for linear scales, powers of ten for log scales.
    public func ticks(_ count: Int = 5) -> [Double] {
        kind == .log ? Self.logTicks(domain) : Self.niceTicks(domain, count: count)
    }

    /// Evenly spaced ticks at a 1-2-5 step covering `domain` with about `count` intervals.
    public static func niceTicks(_ domain: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, span.isFinite else { return [domain.lowerBound] }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        // Each tick is k·step rounded to the step's decimals, so no error accumulates (0.6, not 0.6000000000000001).
        let decimals = max(0, -Int(floor(log10(step))))
        let unit = pow(10, Double(decimals))
        let first = Int(ceil(domain.lowerBound / step - 1e-9)), last = Int(floor(domain.upperBound / step + 1e-9))
        let ticks = first > last ? [] : (first...last).map { k -> Double in
            let value = (Double(k) * step * unit).rounded() / unit
            return value == 0 ? 0 : value
        }
        return ticks
    }

    /// Powers of ten inside `domain` (at least the two around it).
    public static func logTicks(_ domain: ClosedRange<Double>) -> [Double] {
        let lo = Int(floor(log10(max(domain.lowerBound, .leastNonzeroMagnitude)))), hi = Int(ceil(log10(max(domain.upperBound, .leastNonzeroMagnitude))))
        let every = max(1, (hi - lo) / 8)
        return stride(from: lo, through: hi, by: every).map { pow(10, Double($0)) }.filter { domain.contains($0) || lo == hi }
    }

    /// A domain around `values` with a little margin; log domains keep positive values only.
    public static func domain(of values: [Double], kind: Kind = .linear, includeZero: Bool = false, margin: Double = 0.04) -> ClosedRange<Double> {
        var finite = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        if includeZero && kind == .linear { finite.append(0) }
        guard var lo = finite.min(), var hi = finite.max() else { return kind == .log ? 0.1...1 : 0...1 }
        if kind == .log {
            return pow(10, floor(log10(lo)))...pow(10, ceil(log10(hi)))
        }
        if lo == hi { lo -= 0.5; hi += 0.5 }
        let pad = (hi - lo) * margin
        return (lo - (includeZero && lo == 0 ? 0 : pad))...(hi + pad)
    }
}

/// A tick label: short, without trailing zeros (`0.05`, `1e-06`, `2000`).
public func tickLabel(_ x: Double) -> String {
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e5 || magnitude < 1e-3 {
        let exponent = Int(floor(log10(magnitude)))
        let mantissa = x / pow(10, Double(exponent))
        return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%ge%d", mantissa, exponent)
    }
    return String(format: "%g", (x * 1e6).rounded() / 1e6)
}
