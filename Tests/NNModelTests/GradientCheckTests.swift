import NNLinalg
import Testing
@testable import NNModel

/// Expects every entry of `net.gradients` to match the central difference of `loss` (step 1e-6)
/// to 1e-5, relative to the two values' magnitude (absolute below 1e-4).
func expectGradientsMatchFiniteDifferences(_ net: LayerNetwork<Double>, loss: () -> Double) {
    let h = 1e-6
    for slot in net.namedTensors {
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
        let net = LayerNetwork<Double>(model)
        // Perturb BN parameters away from (1, 0) so γ and β gradients are exercised generally.
        var rng = RandomSource(seed: 5)
        for slot in net.namedTensors where slot.name.hasSuffix("gamma") || slot.name.hasSuffix("beta") {
            for k in 0..<slot.count { net.parameters[slot.offset + k] += rng.uniform(-0.5, 0.5) }
        }
        let inputs = (0..<(rows * 3)).map { _ in rng.uniform(-1, 1) }
        let targets = (0..<(rows * 2)).map { _ in rng.uniform(-1, 1) }
        let labels = (0..<rows).map { Int32($0 % 2) }
        func score(gradient: UnsafeMutablePointer<Double>?) -> Double {
            var masks = RandomSource(seed: 9)   // the same dropout masks every pass
            let y = net.forward(inputs, batch: rows, training: true, dropout: &masks)
            return testCase.loss.score(y, rows: rows, width: 2, targets: targets, labels: labels, tolerance: 0, gradient: gradient).loss
        }
        var dOut = [Double](repeating: 0, count: rows * 2)
        _ = dOut.withUnsafeMutableBufferPointer { score(gradient: $0.baseAddress) }
        net.zeroGradients()
        net.backward(dOut)
        expectGradientsMatchFiniteDifferences(net) { score(gradient: nil) }
    }

    @Test func evalModeUsesRunningStatistics() {
        var a = Architecture(inputs: 2, hidden: [3], outputs: 1)
        a.batchNorm = true
        let model = a.build(seed: 1)
        var modified = model
        modified.layers[0].batchNorm!.runningMean = [0.5, -0.5, 1]
        modified.layers[0].batchNorm!.runningVar = [4, 0.25, 1]
        let net = LayerNetwork<Double>(modified)
        var none = RandomSource(seed: 0)
        let output = net.forward([0.3, -0.7], batch: 1, training: false, dropout: &none)
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
        #expect(abs(output[0] - expected) < 1e-12)
    }

    @Test func exportRoundTripsWeights() {
        var a = Architecture(inputs: 4, hidden: [8, 8], outputs: 2)
        a.batchNorm = true
        a.multiHead = true
        a.residual = true
        let model = a.build(seed: 3)
        #expect(LayerNetwork<Float>(model).export().mlp == model)
        #expect(LayerNetwork<Float>(model).namedTensors.map(\.name).prefix(4) == ["layer_0.weight", "layer_0.bias", "layer_0.gamma", "layer_0.beta"])
        #expect(model.parameterCount == a.parameterCount)
    }
}

@Suite struct DistillationGradientTests {
    @Test(arguments: [(1.0, 0.5), (4.0, 0.9), (2.0, 0.0), (3.0, 1.0)])
    func distillationGradientMatchesFiniteDifferences(temperature: Double, alpha: Double) {
        let rows = 5
        let net = LayerNetwork<Double>(Architecture(inputs: 3, hidden: [6], outputs: 4).build(seed: 2))
        var rng = RandomSource(seed: 3)
        let inputs = (0..<(rows * 3)).map { _ in rng.uniform(-1, 1) }
        let teacher = (0..<(rows * 4)).map { _ in rng.uniform(-3, 3) }
        let labels = (0..<rows).map { Int32($0 % 4) }
        func score(gradient: UnsafeMutablePointer<Double>?) -> Double {
            var none = RandomSource(seed: 0)
            let z = net.forward(inputs, batch: rows, training: true, dropout: &none)
            return distillationScore(z, rows: rows, width: 4, teacher: teacher, labels: labels, temperature: temperature,
                                     alpha: alpha, gradient: gradient).loss
        }
        var dOut = [Double](repeating: 0, count: rows * 4)
        _ = dOut.withUnsafeMutableBufferPointer { score(gradient: $0.baseAddress) }
        net.zeroGradients()
        net.backward(dOut)
        expectGradientsMatchFiniteDifferences(net) { score(gradient: nil) }
    }
}
