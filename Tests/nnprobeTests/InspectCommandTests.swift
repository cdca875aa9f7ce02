import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import Testing

@Suite struct InspectCommandTests {
    func writeCheckpoint(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("ckpt.h5").path
        let layer = DenseLayer(weight: Matrix(rows: 16, cols: 4), bias: Array(repeating: 0, count: 16), activation: .relu)
        let out = DenseLayer(weight: Matrix(rows: 2, cols: 16), bias: [0, 0], activation: .identity)
        var history = TrainingHistory()
        history.trainLoss = [0.5, 0.25]
        history.valLoss = [0.6, 0.3]
        history.valAccuracy = [0.5, 0.75]
        history.testLoss = 0.28
        history.testAccuracy = .nan
        try Checkpoint(task: "multi-mult", seed: 3, config: #"{"lr":0.001}"#, model: MLP(layers: [layer, out]),
                       history: history).write(to: path)
        return path
    }

    @Test func tableNamesLayersShapesAndMetrics() throws {
        let dir = try temporaryDirectory()
        let path = try writeCheckpoint(in: dir)
        let result = try runNNProbe(["inspect", path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("model: 4 inputs → 2 outputs, 114 parameters"))
        #expect(result.stdout.contains("layer_0  16×4"))
        #expect(result.stdout.contains("test: loss 0.28, accuracy nan"))
    }

    @Test func jsonFollowsTheSchema() throws {
        let dir = try temporaryDirectory()
        let path = try writeCheckpoint(in: dir)
        let result = try runNNProbe(["inspect", path, "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["schema"] as? String == "nnprobe.inspect/1")
        #expect(json["kind"] as? String == "checkpoint")
        let model = json["model"] as! [String: Any]
        let layers = model["layers"] as! [[String: Any]]
        #expect(layers.map { $0["weight_shape"] as! [Int] } == [[16, 4], [2, 16]])
        #expect(model["parameter_count"] as? Int == 114)
        let metrics = json["metrics"] as! [String: Any]
        #expect(metrics["test_accuracy"] is NSNull)           // NaN becomes null
        #expect(metrics["test_loss"] as? Double == 0.28)
        #expect((json["config"] as? [String: Any])?["lr"] as? Double == 0.001)
    }

    @Test(arguments: [
        ("absent.h5", "no such file"),
        ("text.h5", "not an HDF5 file"),
    ])
    func badInputIsOneLineAndNonZero(name: String, expected: String) throws {
        let dir = try temporaryDirectory()
        try Data("hello".utf8).write(to: dir.appendingPathComponent("text.h5"))
        let path = dir.appendingPathComponent(name).path
        let result = try runNNProbe(["inspect", path])
        #expect(result.status == 1)
        #expect(!result.terminatedBySignal)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("nnprobe: error: \(path): \(expected)"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}
