import Foundation
import Testing
@testable import NNCheckpoint

/// `NNProbeVersion.timestamp(of:)` formats by hand what Foundation's ISO8601DateFormatter writes.
@Suite struct TimestampTests {
    private func foundation(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    @Test func agreesWithISO8601DateFormatter() {
        var rng = SystemRandomNumberGenerator()
        var instants: [TimeInterval] = [0, -1, -0.5, 0.999, 59, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 1_234_567_890,
                                        1_780_000_000.75, 4_102_444_799, -12_212_553_600, 253_402_300_799.9]
        // Whole milliseconds (ICU rounds an instant to the millisecond: a random Double within half
        // a millisecond of a second's end prints as the next second in both).
        for _ in 0..<2_000 { instants.append(Double(Int64.random(in: -12_212_553_600_000..<253_402_300_800_000, using: &rng)) / 1000) }
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            #expect(NNProbeVersion.timestamp(of: date) == foundation(date), "t = \(t)")
        }
    }

    @Test func beforeGregorianOrAfter9999FallsBackToFoundation() {
        for t in [-12_212_553_601.0, -30_610_224_000, -40_000_000_000, 300_000_000_000, 1e30, -1e30] {
            let date = Date(timeIntervalSince1970: t)
            #expect(NNProbeVersion.timestamp(of: date) == foundation(date))
        }
    }
}
