import Testing
import NNModel

/// `RandomSource.noisy(_:noise:)` is `value + noise · normal()` bit for bit, and leaves the
/// generator where `normal()` leaves it, also when it skips the logarithm and cosine (noise 0).
@Suite struct RandomSourceNoiseTests {
    @Test func matchesValuePlusScaledNormal() {
        var values = RandomSource(seed: 11)
        for noise in [0.0, 0.05, 1] {
            var fast = RandomSource(seed: 7), reference = RandomSource(seed: 7)
            for k in 0..<20_000 {
                // Zeros of both signs take the sign of noise · normal(), which the skip must not lose.
                let value = k % 7 == 0 ? 0.0 : k % 7 == 1 ? -0.0 : values.uniform(-1, 1)
                let got = fast.noisy(value, noise: noise), expected = value + noise * reference.normal()
                #expect(got.bitPattern == expected.bitPattern, "value \(value), noise \(noise)")
                #expect(fast.next() == reference.next())
            }
        }
    }
}
