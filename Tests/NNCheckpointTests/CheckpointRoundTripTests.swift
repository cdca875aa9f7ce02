import Foundation
import NNLinalg
import NNModel
import Testing
@testable import NNCheckpoint

@Suite struct CheckpointRoundTripTests {
    @Test(arguments: [false, true])
    func roundTripIsBitExact(multiHead: Bool) throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("model.h5").path
        let original = sampleCheckpoint(multiHead: multiHead)
        try original.write(to: path)
        let back = try Checkpoint.read(from: path)
        #expect(back == original)
        // Equality of Float arrays could hide -0/+0; compare bit patterns too.
        for (a, b) in zip(back.model.layers, original.model.layers) {
            #expect(a.weight.storage.map(\.bitPattern) == b.weight.storage.map(\.bitPattern))
        }
    }

    @Test func nonFiniteMetricsSurvive() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("nan.h5").path
        var checkpoint = sampleCheckpoint()
        checkpoint.history.testLoss = .nan
        checkpoint.history.trainLoss = [1, .infinity]
        checkpoint.status = .diverged
        try checkpoint.write(to: path)
        let back = try Checkpoint.read(from: path)
        #expect(back.history.testLoss.isNaN)
        #expect(back.history.trainLoss == [1, .infinity])
        #expect(back.status == .diverged)
    }

    @Test func sameContentGivesSameBytes() throws {
        let dir = try temporaryDirectory()
        let a = dir.appendingPathComponent("a.h5").path, b = dir.appendingPathComponent("b.h5").path
        try sampleCheckpoint().write(to: a)
        try sampleCheckpoint().write(to: b)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func failedWriteLeavesNothing() throws {
        struct Boom: Error {}
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("partial.h5").path
        #expect(throws: Boom.self) {
            try HDF5File.createAtomically(path) { root in
                try root.setAttribute("format", "nnprobe.checkpoint")
                throw Boom()
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test(arguments: ["h5py_mlp", "h5py_multihead"])
    func readsCheckpointWrittenByH5py(name: String) throws {
        let checkpoint = try Checkpoint.read(from: fixture("\(name).h5"))
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: fixture("\(name).json")))) as! [String: Any]
        let layers = expected["layers"] as! [[String: Any]]
        let heads = expected["heads"] as! [[String: Any]]
        #expect(checkpoint.model.layers.count == layers.count)
        #expect(checkpoint.model.heads.count == heads.count)
        func floats(_ any: Any?) -> [Float] { (any as! [Any]).flatMap { ($0 as? [Double]) ?? [($0 as? Double) ?? .nan] }.map(Float.init) }
        for (layer, record) in zip(checkpoint.model.layers, layers) {
            #expect(layer.weight.storage == floats(record["weight"]))
            #expect(layer.bias == floats(record["bias"]))
            if let gamma = record["gamma"] {
                #expect(layer.batchNorm?.gamma == floats(gamma))
                #expect(layer.batchNorm?.runningVar == floats(record["running_var"]))
            }
        }
        for (head, record) in zip(checkpoint.model.heads, heads) {
            #expect(head.weight.storage == floats(record["weight"]))
        }
        #expect(checkpoint.model.layers[1].residual)          // written by h5py as a bool enum
        #expect(checkpoint.model.layers[0].dropout == 0.25)
        // Foundation's JSON parser may round the last bit of a double: compare to 1e-15.
        let trainLoss = expected["train_loss"] as! [Double]
        #expect(zip(checkpoint.history.trainLoss, trainLoss).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) })
        #expect(checkpoint.history.testAccuracy == 0.875)
        #expect(checkpoint.gradients.records.first?.first.norm == expected["first_norm"] as! [Double])
        #expect(checkpoint.seed == 7 && checkpoint.task == "multi-mult")
    }
}
