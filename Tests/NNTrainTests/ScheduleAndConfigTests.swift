import Foundation
import Testing
import NNTasks
@testable import NNTrain

@Suite struct ScheduleAndConfigTests {
    @Test func schedulesFollowTheirFormulas() {
        var c = TrainingConfig()
        c.lr = 0.1
        c.epochs = 10
        c.schedule = .inverseTime; c.decay = 0.5
        #expect(c.learningRate(epoch: 4) == 0.1 / 3)
        c.schedule = .step; c.stepSize = 3; c.gamma = 0.5
        #expect([0, 2, 3, 6].map { c.learningRate(epoch: $0) } == [0.1, 0.1, 0.05, 0.025])
        c.schedule = .exponential; c.gamma = 0.9
        #expect(abs(c.learningRate(epoch: 2) - 0.081) < 1e-15)
        c.schedule = .cosine
        #expect(c.learningRate(epoch: 0) == 0.1 && abs(c.learningRate(epoch: 5) - 0.05) < 1e-15)
    }

    @Test func partialJSONKeepsDefaultsAndRejectsUnknownKeys() throws {
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"task":"spirals","batch_norm":true,"data":{"classes":3}}"#.utf8))
        #expect(c.task == "spirals" && c.batchNorm && c.data.classes == 3 && c.epochs == 20)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"lrr":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"data":{"noize":1}}"#.utf8)) }
        let round = try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(c))
        #expect(round == c)
    }

    @Test func matchedSingleHeadHasAtLeastTheMultiHeadCount() {
        var c = TrainingConfig()
        c.hidden = [16, 16, 16, 16]
        c.multiHead = true
        let task = try! TaskRegistry.load("regression", options: TaskOptions(), seed: 0).0
        let multi = c.architecture(for: task).parameterCount
        c.multiHead = false
        c.matchMultiHeadParameters = true
        let single = c.architecture(for: task)
        #expect(single.parameterCount >= multi)
        #expect(single.hidden.prefix(3) == [16, 16, 16] && single.hidden[3] > 16)
    }
}
