import NNLinalg
import Testing
@testable import NNModel

/// Edits of one buffer during the forward pass (LayerNetwork+Intervention.swift), on the small
/// ResNet of `LayerNetworkTests`, in evaluation mode.
@Suite struct InterventionTests {
    let net: LayerNetwork<Double>
    let a: [Double], b: [Double]
    let batch = 3

    init() throws {
        net = try LayerNetwork<Double>(LayerNetworkTests.resnet, seed: 5)
        // Batch-norm running statistics away from (0, 1): evaluation mode uses them.
        for step in net.steps {
            guard let offset = step.state else { continue }
            for c in 0..<step.inShape.channels {
                net.state[offset + c] = 0.05 * Double(c % 3)
                net.state[offset + step.inShape.channels + c] = 0.8 + 0.1 * Double(c % 4)
            }
        }
        a = ConvKernelTests.values(batch * 72, seed: 11)
        b = ConvKernelTests.values(batch * 72, seed: 12)
    }

    @Test func namesReachStepsAndBlockOutputs() {
        #expect(net.buffer(named: "block1") == net.buffer(named: "block1.after.0"))
        #expect(net.buffer(named: "block0") == net.buffer(named: "block0.main.2"))
        #expect(net.buffer(named: "block2.add") != nil && net.buffer(named: "block2.add") != net.buffer(named: "block2"))
        #expect(net.buffer(named: "block9") == nil && net.buffer(named: "block") == nil && net.buffer(named: "block01") == nil)
        #expect(net.bufferNames.prefix(4) == ["block0.main.0", "block0.main.1", "block0.main.2", "block0"])
        #expect(net.bufferNames.filter { net.buffer(named: $0) == nil }.isEmpty)
    }

    @Test func patchingEveryChannelOfABlockGivesTheOtherRunsOutputs() {
        let buffer = net.buffer(named: "block1")!
        let outputsA = net.evaluate(a, batch: batch)
        let valuesA = Array(net.values(ofBuffer: buffer))
        let outputsB = net.evaluate(b, batch: batch)
        #expect(outputsA != outputsB)
        let channels = Array(0..<net.buffers[buffer].channels)
        let patched = net.evaluate(b, batch: batch, interventions: [Intervention(buffer: buffer, directions: .units(channels), replacement: .rows(valuesA))])
        #expect(patched == outputsA)
        // The same through a full orthonormal basis (the identity), up to rounding.
        let identity = Matrix<Double>.identity(channels.count).storage
        let projected = net.evaluate(b, batch: batch, interventions: [
            Intervention(buffer: buffer, directions: .subspace(basis: identity, count: channels.count), replacement: .rows(valuesA))])
        #expect(zip(projected, outputsA).allSatisfy { abs($0 - $1) < 1e-12 })
        // No intervention, or none on this run's buffers: the plain forward pass.
        #expect(net.evaluate(b, batch: batch, interventions: []) == outputsB)
        #expect(net.evaluate(b, batch: batch, interventions: [Intervention(buffer: buffer, directions: .units([]), replacement: .zero)]) == outputsB)
    }

    @Test func aZeroedChannelIsZeroAtEveryPositionBeforeLaterStepsRead() {
        let buffer = net.buffer(named: "block0.main.2")!
        let shape = net.buffers[buffer]
        _ = net.evaluate(b, batch: batch, interventions: [Intervention(buffer: buffer, directions: .units([1, 3]), replacement: .zero)])
        let edited = Array(net.values(ofBuffer: buffer))
        _ = net.evaluate(b, batch: batch)
        let plain = Array(net.values(ofBuffer: buffer))
        for n in 0..<batch {
            for c in 0..<shape.channels {
                for p in 0..<shape.positions {
                    let k = n * shape.count + c * shape.positions + p
                    #expect(edited[k] == ([1, 3].contains(c) ? 0 : plain[k]))
                }
            }
        }
        #expect(plain.contains { $0 != 0 })
        // The next step read the edited values: block 1's first convolution differs only through them.
        let constant = Array(repeating: 0.25, count: shape.count)
        let once = net.evaluate(b, batch: batch, interventions: [Intervention(buffer: buffer, directions: .units([1]), replacement: .constant(constant))])
        #expect(once != net.evaluate(b, batch: batch))
    }
}
