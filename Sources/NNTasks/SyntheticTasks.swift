import Foundation
import NNModel

/// A task whose rows are drawn from a generator, one row at a time.
struct SyntheticTask {
    let definition: TaskDefinition
    /// Draws row `i`: appends its inputs to `inputs` and, for regression, its targets to
    /// `targets`; returns its label (classification) or nil. Appending in place, rather than
    /// returning arrays, keeps data generation free of per-row allocations.
    let draw: (_ rng: inout RandomSource, _ i: Int, _ inputs: inout [Float], _ targets: inout [Float]) -> Int32?

    func generate(count: Int, using rng: inout RandomSource) -> Dataset {
        var x: [Float] = [], t: [Float] = [], l: [Int32] = []
        x.reserveCapacity(count * definition.inputWidth)
        if !definition.isClassification { t.reserveCapacity(count * definition.outputWidth) }
        for i in 0..<count {
            if let label = draw(&rng, i, &x, &t) { l.append(label) }
        }
        return Dataset(inputs: x, targets: definition.isClassification ? nil : t,
                       labels: definition.isClassification ? l : nil,
                       inputWidth: definition.inputWidth, outputWidth: definition.outputWidth)
    }
}

extension SyntheticTask {
    /// Two multiplications in parallel: x ~ U[−1, 1]⁴, y = (x₀x₁, x₂x₃).
    static func multiMult(noise: Double) -> SyntheticTask {
        let definition = TaskDefinition(
            name: "multi-mult", summary: "two products in parallel: (x0·x1, x2·x3) from 4 inputs in [-1, 1]",
            inputWidth: 4, outputWidth: 2, loss: .mse,
            subtasks: [SubTask(name: "task0", inputs: [0, 1], outputs: [0]),
                       SubTask(name: "task1", inputs: [2, 3], outputs: [1])],
            inputRange: -1...1, targetFunction: { x in [x[0] * x[1], x[2] * x[3]] })
        return SyntheticTask(definition: definition) { rng, _, inputs, targets in
            let x0 = rng.uniform(-1, 1), x1 = rng.uniform(-1, 1), x2 = rng.uniform(-1, 1), x3 = rng.uniform(-1, 1)
            inputs.append(Float(x0)); inputs.append(Float(x1)); inputs.append(Float(x2)); inputs.append(Float(x3))
            targets.append(Float(rng.noisy(x0 * x1, noise: noise)))
            targets.append(Float(rng.noisy(x2 * x3, noise: noise)))
            return nil
        }
    }

    /// One product, f = m·a, with m, a ~ U[−1, 1].
    static func mult(noise: Double) -> SyntheticTask {
        let definition = TaskDefinition(
            name: "mult", summary: "f = m·a from 2 inputs in [-1, 1]", inputWidth: 2, outputWidth: 1, loss: .mse,
            subtasks: [], inputRange: -1...1, targetFunction: { x in [x[0] * x[1]] })
        return SyntheticTask(definition: definition) { rng, _, inputs, targets in
            let m = rng.uniform(-1, 1), a = rng.uniform(-1, 1)
            inputs.append(Float(m)); inputs.append(Float(a))
            targets.append(Float(rng.noisy(m * a, noise: noise)))
            return nil
        }
    }

    /// Multi-output regression from a fixed random teacher: x ~ U[−1, 1]⁸,
    /// y = W₂ tanh(W₁ x + b₁) + noise, W₁ (32 × 8) and W₂ (4 × 32) drawn once from a fixed seed.
    static func regression(noise: Double) -> SyntheticTask {
        var weights = RandomSource.stream(.teacher, seed: 0)
        let w1 = (0..<(32 * 8)).map { _ in weights.normal() / 8.0.squareRoot() * 2 }
        let b1 = (0..<32).map { _ in weights.normal() * 0.5 }
        let w2 = (0..<(4 * 32)).map { _ in weights.normal() / 32.0.squareRoot() }
        @Sendable func teacher(_ x: [Double]) -> [Double] {
            let h = (0..<32).map { j in tanh((0..<8).reduce(b1[j]) { $0 + w1[j * 8 + $1] * x[$1] }) }
            return (0..<4).map { k in (0..<32).reduce(0.0) { $0 + w2[k * 32 + $1] * h[$1] } }
        }
        let definition = TaskDefinition(
            name: "regression", summary: "4 outputs of a fixed random tanh teacher (8-32-4) on 8 inputs in [-1, 1]",
            inputWidth: 8, outputWidth: 4, loss: .mse, subtasks: [], inputRange: -1...1,
            targetFunction: { x in teacher(x.map(Double.init)).map(Float.init) })
        return SyntheticTask(definition: definition) { rng, _, inputs, targets in
            let x = (0..<8).map { _ in rng.uniform(-1, 1) }
            inputs += x.map(Float.init)
            targets += teacher(x).map { Float(rng.noisy($0, noise: noise)) }
            return nil
        }
    }
}
