import NNLinalg
import Testing
@testable import NNModel

@Suite struct MLPShapeTests {
    func dense(_ out: Int, _ inp: Int, residual: Bool = false) -> DenseLayer {
        DenseLayer(weight: Matrix(rows: out, cols: inp), bias: Array(repeating: 0, count: out),
                   activation: .relu, residual: residual)
    }

    @Test func consistentModelHasNoProblems() {
        let model = MLP(layers: [dense(16, 4), dense(16, 16, residual: true), dense(2, 16)])
        #expect(model.shapeProblems().isEmpty)
        #expect(model.parameterCount == 16 * 4 + 16 + 16 * 16 + 16 + 2 * 16 + 2)
        #expect(model.inputWidth == 4 && model.outputWidth == 2)
    }

    @Test func mismatchesAreNamed() {
        let model = MLP(layers: [dense(16, 4), dense(2, 8), dense(3, 5, residual: true)],
                        heads: [Head(weight: Matrix(rows: 2, cols: 9), bias: [0, 0], sourceLayer: 0),
                                Head(weight: Matrix(rows: 2, cols: 2), bias: [0, 0], sourceLayer: 7)])
        let problems = model.shapeProblems()
        #expect(problems.contains { $0.hasPrefix("layer_1:") && $0.contains("layer_0 gives 16") })
        #expect(problems.contains { $0.hasPrefix("layer_2:") && $0.contains("residual") })
        #expect(problems.contains { $0.hasPrefix("head_0:") && $0.contains("9 inputs") })
        #expect(problems.contains { $0.hasPrefix("head_1:") && $0.contains("source_layer 7") })
    }
}
