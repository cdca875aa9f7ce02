import Foundation

/// Colour-blind-safe colours: the Okabe–Ito palette for categories and viridis for values.
public enum Palette {
    /// Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies.
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    /// The k-th categorical colour (cycling).
    public static func category(_ k: Int) -> String { categorical[((k % categorical.count) + categorical.count) % categorical.count] }

    private static let viridisStops: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
    ]

    /// Viridis at t ∈ [0, 1] (perceptually uniform, readable in grey).
    public static func viridis(_ t: Double) -> String {
        let x = min(1, max(0, t.isFinite ? t : 0)) * Double(viridisStops.count - 1)
        let i = min(viridisStops.count - 2, Int(x))
        let f = x - Double(i)
        let a = viridisStops[i], b = viridisStops[i + 1]
        func channel(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return "#" + [channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2)].map { String(format: "%02X", $0) }.joined()
    }
}

extension Palette {
    /// `hex` mixed with white: `amount` 0 keeps the colour, 1 gives white.
    public static func tint(_ hex: String, _ amount: Double) -> String {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return hex }
        let channels = stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0...($0 + 1)]), radix: 16) ?? 0 }
        return "#" + channels.map { String(format: "%02X", Int((Double($0) + (255 - Double($0)) * amount).rounded())) }.joined()
    }
}
