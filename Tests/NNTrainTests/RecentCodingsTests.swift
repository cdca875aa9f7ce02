import Foundation
import Testing
import NNTasks
@testable import NNTrain

/// Issue 18: a sweep's configurations convert each unchanged settings section once
/// (`RecentCodings`); what they convert to must be what converting each afresh gives.
@Suite struct RecentCodingsTests {
    /// Sections changing in turn (learning rate, width, seed, data size), more kinds than the memo
    /// keeps, round-trip through the stored tree to themselves, in a forward and a shuffled order.
    @Test func configsChangingInTurnRoundTripToThemselves() throws {
        var configs: [TrainingConfig] = []
        for i in 0..<40 {
            var c = TrainingConfig()
            c.seed = UInt64(i % 7)
            c.optimization.lr = [0.1, 0.01, 0.003, 0.001, 0.0003, 0.0001, 3e-5, 1e-5, 3e-6, 1e-6, 5e-7][i % 11]
            c.model.hidden = [[16], [32, 32], [8]][i % 3]
            c.data.trainSize = 100 + i % 13
            configs.append(c)
        }
        var generator = SystemRandomNumberGenerator()
        for order in [Array(configs.indices), configs.indices.shuffled(using: &generator)] {
            for i in order {
                let tree = try configs[i].settingsTree()
                #expect(try TrainingConfig(settingsTree: tree) == configs[i], "config \(i)")
                // And the same through the stored JSON every checkpoint holds.
                let decoded = try JSONDecoder().decode(TrainingConfig.self, from: try JSONEncoder().encode(configs[i]))
                #expect(decoded == configs[i], "config \(i) through JSON")
            }
        }
    }

    /// An input seen before gives the value kept for it, a new one is converted; only the most
    /// recent `capacity` are kept, and a failed conversion is not kept.
    @Test func keepsTheMostRecentSuccessfulConversions() throws {
        let memo = RecentCodings<Int, String>(capacity: 2)
        var calls = 0
        func convert(_ x: Int) throws -> String {
            calls += 1
            if x < 0 { throw CancellationError() }
            return "v\(x)"
        }
        #expect(try memo.value(for: 1, convert) == "v1")
        #expect(try memo.value(for: 1, convert) == "v1")
        #expect(calls == 1)
        _ = try memo.value(for: 2, convert)
        _ = try memo.value(for: 1, convert)   // 1 used last: 2 is the oldest
        _ = try memo.value(for: 3, convert)   // evicts 2
        #expect(calls == 3)
        _ = try memo.value(for: 1, convert)
        #expect(calls == 3)
        _ = try memo.value(for: 2, convert)
        #expect(calls == 4)
        #expect(throws: CancellationError.self) { try memo.value(for: -1, convert) }
        #expect(throws: CancellationError.self) { try memo.value(for: -1, convert) }
        #expect(calls == 6)
    }
}
