import NNLinalg
import Testing
@testable import NNModel

/// Expects every entry of `net.gradients` to match the central difference of `loss` (step 1e-6)
/// to 1e-5, relative to the two values' magnitude (absolute below 1e-4).
func expectGradientsMatchFiniteDifferences(_ net: Network<Double>, loss: () -> Double) {
    let h = 1e-6
    for slot in net.layout.tensors {
        for k in 0..<slot.count {
            let i = slot.offset + k
            let saved = net.parameters[i]
            net.parameters[i] = saved + h
            let up = loss()
            net.parameters[i] = saved - h
            let down = loss()
            net.parameters[i] = saved
            let numeric = (up - down) / (2 * h)
            let analytic = net.gradients[i]
            #expect(abs(numeric - analytic) / max(1e-4, abs(numeric) + abs(analytic)) < 1e-5,
                    "\(slot.name)[\(k)]: analytic \(analytic), numeric \(numeric)")
        }
    }
}

/// Analytic gradients of every layer kind against central finite differences, in Float64.
@Suite struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let architecture: Architecture
        let loss: LossFunction
        var testDescription: String { name }
    }

    static func arch(_ hidden: [Int], _ configure: (inout Architecture) -> Void = { _ in }) -> Architecture {
        var a = Architecture(inputs: 3, hidden: hidden, outputs: 2)
        configure(&a)
        return a
    }

    static let cases: [Case] = [
        Case(name: "linear only", architecture: arch([]), loss: .mse),
        Case(name: "relu", architecture: arch([5, 4]), loss: .mse),
        Case(name: "tanh", architecture: arch([5, 4]) { $0.activation = .tanh }, loss: .mse),
        Case(name: "gelu", architecture: arch([5, 4]) { $0.activation = .gelu }, loss: .crossEntropy),
        Case(name: "identity", architecture: arch([4]) { $0.activation = .identity }, loss: .mse),
        Case(name: "batch norm", architecture: arch([5, 5]) { $0.batchNorm = true; $0.activation = .tanh }, loss: .crossEntropy),
        Case(name: "batch norm relu", architecture: arch([6, 6]) { $0.batchNorm = true }, loss: .mse),
        Case(name: "dropout", architecture: arch([6, 6]) { $0.dropout = 0.3; $0.activation = .tanh }, loss: .mse),
        Case(name: "residual", architecture: arch([4, 4, 4]) { $0.residual = true; $0.activation = .gelu }, loss: .mse),
        Case(name: "multi-head", architecture: arch([4, 5, 3]) { $0.multiHead = true; $0.activation = .tanh }, loss: .mse),
        Case(name: "multi-head residual bn cross-entropy",
             architecture: arch([4, 4]) { $0.multiHead = true; $0.residual = true; $0.batchNorm = true; $0.activation = .gelu },
             loss: .crossEntropy),
    ]

    @Test(arguments: cases)
    func analyticMatchesFiniteDifferences(testCase: Case) {
        let rows = 7
        let model = testCase.architecture.build(seed: 11)
        let net = Network<Double>(model)
        // Perturb BN parameters away from (1, 0) so γ and β gradients are exercised generally.
        var rng = RandomSource(seed: 5)
        for slot in net.layout.tensors where slot.name.hasSuffix("gamma") || slot.name.hasSuffix("beta") {
            for k in 0..<slot.count { net.parameters[slot.offset + k] += rng.uniform(-0.5, 0.5) }
        }
        let ws = Workspace<Double>(layout: net.layout, capacity: rows)
        for r in 0..<rows {
            ws.setInput(row: r, (0..<3).map { _ in rng.uniform(-1, 1) })
            ws.setTargets(row: r, (0..<2).map { _ in rng.uniform(-1, 1) })
            ws.labels[r] = Int32(r % 2)
        }
        var masks: RandomSource? = RandomSource(seed: 9)
        net.forward(ws, rows: rows, training: true, dropout: &masks)   // draws the dropout masks once
        _ = net.score(ws, rows: rows, loss: testCase.loss, tolerance: 0, gradient: true)
        net.zeroGradients()
        net.backward(ws, rows: rows)

        func loss() -> Double {
            var fixed: RandomSource? = nil                           // keep the same masks
            net.forward(ws, rows: rows, training: true, dropout: &fixed)
            return net.score(ws, rows: rows, loss: testCase.loss, tolerance: 0, gradient: false).loss
        }
        expectGradientsMatchFiniteDifferences(net, loss: loss)
    }

    @Test func evalModeUsesRunningStatistics() {
        var a = Architecture(inputs: 2, hidden: [3], outputs: 1)
        a.batchNorm = true
        let model = a.build(seed: 1)
        var modified = model
        modified.layers[0].batchNorm!.runningMean = [0.5, -0.5, 1]
        modified.layers[0].batchNorm!.runningVar = [4, 0.25, 1]
        let net = Network<Double>(modified)
        let ws = Workspace<Double>(layout: net.layout, capacity: 1)
        ws.setInput(row: 0, [0.3, -0.7])
        net.evaluate(ws, rows: 1)
        // Independent computation of the same forward pass.
        let l0 = modified.layers[0], out = modified.layers[1]
        var hidden = [Double](repeating: 0, count: 3)
        for j in 0..<3 {
            let z = Double(l0.weight[j, 0]) * 0.3 + Double(l0.weight[j, 1]) * -0.7 + Double(l0.bias[j])
            let bn = l0.batchNorm!
            let y = Double(bn.gamma[j]) * (z - Double(bn.runningMean[j])) / (Double(bn.runningVar[j]) + 1e-5).squareRoot() + Double(bn.beta[j])
            hidden[j] = max(0, y)
        }
        let expected = (0..<3).reduce(Double(out.bias[0])) { $0 + Double(out.weight[0, $1]) * hidden[$1] }
        #expect(abs(ws.outputs(rows: 1).first! - expected) < 1e-12)
    }

    @Test func exportRoundTripsWeights() {
        var a = Architecture(inputs: 4, hidden: [8, 8], outputs: 2)
        a.batchNorm = true
        a.multiHead = true
        a.residual = true
        let model = a.build(seed: 3)
        #expect(Network<Float>(model).export() == model)
        #expect(model.parameterCount == a.parameterCount)
    }
}

@Suite struct DistillationGradientTests {
    @Test(arguments: [(1.0, 0.5), (4.0, 0.9), (2.0, 0.0), (3.0, 1.0)])
    func distillationGradientMatchesFiniteDifferences(temperature: Double, alpha: Double) {
        let rows = 5
        let net = Network<Double>(Architecture(inputs: 3, hidden: [6], outputs: 4).build(seed: 2))
        let ws = Workspace<Double>(layout: net.layout, capacity: rows)
        var rng = RandomSource(seed: 3)
        for r in 0..<rows {
            ws.setInput(row: r, (0..<3).map { _ in rng.uniform(-1, 1) })
            ws.setTargets(row: r, (0..<4).map { _ in rng.uniform(-3, 3) })   // teacher logits
            ws.labels[r] = Int32(r % 4)
        }
        func loss() -> Double {
            net.evaluate(ws, rows: rows)
            return net.distillationScore(ws, rows: rows, temperature: temperature, alpha: alpha, gradient: false).loss
        }
        var none: RandomSource? = nil
        net.forward(ws, rows: rows, training: true, dropout: &none)
        _ = net.distillationScore(ws, rows: rows, temperature: temperature, alpha: alpha, gradient: true)
        net.zeroGradients()
        net.backward(ws, rows: rows)
        expectGradientsMatchFiniteDifferences(net, loss: loss)
    }
}
