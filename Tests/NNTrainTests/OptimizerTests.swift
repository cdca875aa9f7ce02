import Foundation
import Testing
@testable import NNTrain

/// One optimiser against PyTorch: the parameters after each of several steps of torch.optim.SGD
/// (with momentum and weight decay), Adam (with and without L2) and AdamW on an 11-element vector
/// (eight SIMD lanes plus a scalar tail), from Fixtures/make_optimizer_fixtures.py.
@Suite struct OptimizerTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let optimizer: String, lr: Double, momentum: Double, weight_decay: Double, beta1: Double, beta2: Double, eps: Double
            let after_each_step: [[Double]]
        }
        let source: String, initial: [Double], gradients: [[Double]], cases: [Case]
    }

    static let fixture: Fixture = {
        let url = Bundle.module.url(forResource: "Fixtures/optimizer_steps", withExtension: "json")!
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test(arguments: fixture.cases.indices)
    func stepsMatchTorchOptim(index: Int) throws {
        let torch = Self.fixture.cases[index]
        var c = TrainingConfig()
        c.optimization.optimizer = try #require(OptimizerKind(rawValue: torch.optimizer))
        (c.optimization.momentum, c.optimization.weightDecay, c.optimization.beta1, c.optimization.beta2, c.optimization.adamEps) = (torch.momentum, torch.weight_decay, torch.beta1, torch.beta2, torch.eps)
        var parameters = Self.fixture.initial.map(Float.init)
        var optimizer = Optimizer(settings: c.optimization, parameterCount: parameters.count, trainable: [0..<parameters.count])
        #expect(torch.after_each_step.count == Self.fixture.gradients.count && torch.after_each_step.count >= 3)
        for (step, (gradient, expected)) in zip(Self.fixture.gradients, torch.after_each_step).enumerated() {
            optimizer.update(parameters: &parameters, gradients: gradient.map(Float.init), lr: torch.lr)
            for (i, (ours, theirs)) in zip(parameters, expected).enumerated() {
                #expect(abs(Double(ours) - theirs) <= 1e-6 * max(1, abs(theirs)),
                        "\(torch.optimizer) lr \(torch.lr) step \(step + 1) parameter \(i): \(ours) vs torch \(theirs)")
            }
        }
        // The steps moved the parameters (a test that compared the initial vector would pass trivially).
        #expect(zip(parameters, Self.fixture.initial).allSatisfy { abs(Double($0) - $1) > 1e-4 })
    }

    @Test func onlyTrainableRangesMove() {
        var c = TrainingConfig()
        c.optimization.optimizer = .adamw
        c.optimization.weightDecay = 0.1
        var parameters: [Float] = Array(repeating: 1, count: 20)
        var optimizer = Optimizer(settings: c.optimization, parameterCount: 20, trainable: [2..<7, 12..<20])
        optimizer.update(parameters: &parameters, gradients: Array(repeating: 0.5, count: 20), lr: 0.01)
        for i in 0..<20 { #expect((parameters[i] == 1) == !((2..<7).contains(i) || (12..<20).contains(i)), "parameter \(i)") }
    }
}
