import Foundation
import Testing
import NNTasks
@testable import NNTrain

@Suite struct ScheduleAndConfigTests {
    @Test func schedulesFollowTheirFormulas() {
        var c = TrainingConfig()
        c.optimization.lr = 0.1
        c.optimization.epochs = 10
        c.optimization.schedule = .inverseTime; c.optimization.decay = 0.5
        #expect(c.optimization.learningRate(epoch: 4) == 0.1 / 3)
        c.optimization.schedule = .step; c.optimization.stepSize = 3; c.optimization.gamma = 0.5
        #expect([0, 2, 3, 6].map { c.optimization.learningRate(epoch: $0) } == [0.1, 0.1, 0.05, 0.025])
        c.optimization.schedule = .exponential; c.optimization.gamma = 0.9
        #expect(abs(c.optimization.learningRate(epoch: 2) - 0.081) < 1e-15)
        c.optimization.schedule = .cosine
        #expect(c.optimization.learningRate(epoch: 0) == 0.1 && abs(c.optimization.learningRate(epoch: 5) - 0.05) < 1e-15)
    }

    @Test func partialJSONKeepsDefaultsAndRejectsUnknownKeys() throws {
        let c = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"task":"spirals","batch_norm":true,"data":{"classes":3}}"#.utf8))
        #expect(c.task == "spirals" && c.model.batchNorm && c.data.classes == 3 && c.optimization.epochs == 20)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"lrr":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"data":{"noize":1}}"#.utf8)) }
        let round = try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(c))
        #expect(round == c)
    }

    @Test func matchedSingleHeadHasAtLeastTheMultiHeadCount() {
        var c = TrainingConfig()
        c.model.hidden = [16, 16, 16, 16]
        c.model.multiHead = true
        let task = try! TaskRegistry.load("regression", options: TaskOptions(), seed: 0).0
        let multi = c.architecture(for: task).parameterCount
        c.model.multiHead = false
        c.model.matchMultiHeadParameters = true
        let single = c.architecture(for: task)
        #expect(single.parameterCount >= multi)
        #expect(single.hidden.prefix(3) == [16, 16, 16] && single.hidden[3] > 16)
    }
}
