import Foundation

/// A column of numbers formatted alike, for tables read down a column: fixed-point with one
/// number of decimals when every finite value lies in [10⁻³, 10⁵) — enough decimals for `digits`
/// significant digits of the smallest non-zero magnitude, at most 6 — else every value in
/// scientific notation with `digits` significant digits. NaN is `nan`, ±∞ `inf`/`-inf`.
func formatColumn(_ values: [Double], digits: Int = 4) -> [String] {
    let magnitudes = values.filter { $0.isFinite && $0 != 0 }.map(abs)
    let fixed = magnitudes.allSatisfy { $0 >= 1e-3 && $0 < 1e5 }
    let decimals = magnitudes.min().map { min(6, max(0, digits - 1 - Int(floor(log10($0))))) } ?? 0
    return values.map { value in
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        return fixed ? String(format: "%.\(decimals)f", value) : String(format: "%.\(digits - 1)e", value)
    }
}
