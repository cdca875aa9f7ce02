import Foundation

/// The one seeded random generator behind data, initialisation, shuffling and dropout:
/// xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
///
/// Independent streams for each purpose come from `stream(_:)`, so adding a draw in one place
/// (say, dropout) never shifts another (say, initialisation).
public struct RandomSource: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// The purposes a run draws random numbers for, each with its own stream.
    public enum Purpose: UInt64, Sendable {
        case data = 1, initialisation, shuffling, dropout, probe, teacher, augmentation
    }

    /// An independent generator for `purpose`, derived from `seed`.
    public static func stream(_ purpose: Purpose, seed: UInt64) -> RandomSource {
        RandomSource(seed: seed &* 0x2545_F491_4F6C_DD1D ^ (purpose.rawValue &* 0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 bits. Inlinable, so a shuffle specialised in another module draws without a call.
    @inlinable public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    @inlinable func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        var u = unit()
        while u == 0 { u = unit() }
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// `value + noise · normal()`, drawing what `normal()` draws. Without noise the logarithm and
    /// cosine are skipped: a nonzero value plus ±0 is the value (a zero one takes the sign
    /// `normal()` gives, so it is computed).
    public mutating func noisy(_ value: Double, noise: Double) -> Double {
        guard noise == 0, value != 0 else { return value + noise * normal() }
        while unit() == 0 {}
        _ = unit()
        return value
    }

    /// A uniformly random index in 0..<n.
    public mutating func index(below n: Int) -> Int { Int(next(upperBound: UInt64(n))) }
}
