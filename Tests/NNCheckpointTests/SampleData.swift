import Foundation
import NNLinalg
import NNModel
@testable import NNCheckpoint

/// Deterministic sample values (no RNG needed): a smooth pattern of distinct floats.
func pattern(_ count: Int, offset: Float = 0) -> [Float] {
    (0..<count).map { Float(sin(Double($0) * 1.7 + Double(offset))) * 0.37 + offset / 10 }
}

func sampleModel(multiHead: Bool) -> MLP {
    let bn = BatchNorm(gamma: pattern(16, offset: 1), beta: pattern(16, offset: 2),
                       runningMean: pattern(16, offset: 3), runningVar: pattern(16, offset: 4).map { abs($0) + 0.5 })
    let l0 = DenseLayer(weight: Matrix(rows: 16, cols: 4, storage: pattern(64)), bias: pattern(16, offset: 5),
                        batchNorm: bn, activation: .relu, dropout: 0.2)
    let l1 = DenseLayer(weight: Matrix(rows: 16, cols: 16, storage: pattern(256, offset: 6)), bias: pattern(16, offset: 7),
                        activation: .tanh, residual: true)
    if multiHead {
        return MLP(layers: [l0, l1], heads: [
            Head(weight: Matrix(rows: 2, cols: 16, storage: pattern(32, offset: 8)), bias: [0.5, -0.5], sourceLayer: 0),
            Head(weight: Matrix(rows: 2, cols: 16, storage: pattern(32, offset: 9)), bias: [0.25, 1], sourceLayer: 1),
        ])
    }
    let out = DenseLayer(weight: Matrix(rows: 2, cols: 16, storage: pattern(32, offset: 8)), bias: [0.5, -0.5], activation: .identity)
    return MLP(layers: [l0, l1, out])
}

func sampleCheckpoint(multiHead: Bool = false) -> Checkpoint {
    var history = TrainingHistory()
    history.trainLoss = [1, 0.5, 0.25]
    history.trainAccuracy = [0.1, 0.2, 0.3]
    history.valLoss = [1.1, 0.6, 0.3]
    history.valAccuracy = [0.15, 0.25, 0.35]
    history.learningRate = [1e-3, 1e-3, 5e-4]
    history.testLoss = 0.3125
    history.testAccuracy = 0.75
    var record = GradientFlow.Record(name: "layer_0.weight")
    record.first.steps = [0, 1]
    record.first.norm = [1.5, 1.25]
    record.first.meanAbs = [0.1, 0.2]
    record.first.stdAbs = [0.01, 0.02]
    record.last.steps = [98, 99]
    record.last.norm = [0.5, 0.25]
    record.last.meanAbs = [0.05, 0.04]
    record.last.stdAbs = [0.005, 0.004]
    record.epochMeanNorm = [1.2, 0.9, 0.4]
    return Checkpoint(
        task: "multi-mult", seed: 42, config: #"{"hidden":[16,16],"lr":0.001}"#, model: sampleModel(multiHead: multiHead),
        history: history, gradients: GradientFlow(stepsKept: 2, records: [record, GradientFlow.Record(name: "layer_0.bias")]),
        deadUnits: [0.125, 0], created: "2026-11-22T00:00:00Z")
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnprobe-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The committed fixture `name`.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
}
