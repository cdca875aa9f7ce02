import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import Testing

/// `nnprobe similarity` end to end on two small trained checkpoints and their activation dumps.
@Suite struct SimilarityCommandTests {
    /// Two multi-mult checkpoints (seeds 0 and 1, with their dumps) in a fresh directory.
    static func trainTwo() throws -> (dir: URL, a: String, b: String) {
        let dir = try temporaryDirectory()
        let paths = try [0, 1].map { seed in
            let path = dir.appendingPathComponent("s\(seed).h5").path
            let result = try runNNProbe(["train", "multi-mult", "--epochs", "2", "--train-size", "500", "--seed", String(seed), "--save", path])
            #expect(result.status == 0, "\(result.stderr)")
            return path
        }
        return (dir, paths[0], paths[1])
    }

    /// Linear CKA written out plainly: ‖XcᵀYc‖²_F / (‖XcᵀXc‖_F ‖YcᵀYc‖_F), n × p row-major buffers.
    static func plainCKA(_ x: [Float], _ p: Int, _ y: [Float], _ q: Int) -> Double {
        let n = x.count / p
        func centred(_ v: [Float], _ w: Int) -> [Double] {
            let means = (0..<w).map { j in (0..<n).reduce(0.0) { $0 + Double(v[$1 * w + j]) } / Double(n) }
            return v.indices.map { Double(v[$0]) - means[$0 % w] }
        }
        let cx = centred(x, p), cy = centred(y, q)
        func squaredCross(_ a: [Double], _ pa: Int, _ b: [Double], _ pb: Int) -> Double {
            var total = 0.0
            for i in 0..<pa { for j in 0..<pb {
                let dot = (0..<n).reduce(0.0) { $0 + a[$1 * pa + i] * b[$1 * pb + j] }
                total += dot * dot
            } }
            return total
        }
        return squaredCross(cx, p, cy, q) / (squaredCross(cx, p, cx, p).squareRoot() * squaredCross(cy, q, cy, q).squareRoot())
    }

    @Test func twoCheckpointsOnTheFirstOnesTestRows() throws {
        let (_, a, b) = try Self.trainTwo()
        let result = try runNNProbe(["similarity", a, b, "--json"])
        let report = try json(result)
        #expect(report["schema"] as? String == "nnprobe.similarity/1" && report["mode"] as? String == "nets")
        #expect(report["measures"] as? [String] == ["cka", "debiased-cka", "procrustes", "angular", "svcca"])
        let rows = report["rows"] as! [String: Any]
        // The rows are the first checkpoint's test split: the inputs of its test dump, in order.
        let dump = try ActivationDumpReader(path: a.replacingOccurrences(of: ".h5", with: ".acts-test.h5")).readAll()
        #expect(rows["from"] as? String == a && rows["kind"] as? String == "split" && rows["n_samples"] as? Int == dump.rowCount)
        let comparisons = report["comparisons"] as! [[String: Any]]
        #expect(comparisons.map { $0["layer"] as? Int } == [0, 1] && comparisons[0]["labels"] as? [String] == [a, b])
        // layer_0 CKA: the stored activations of `a` and `b` run now on the same rows, computed plainly here.
        let network = LayerNetwork<Float>(try Checkpoint.read(from: b).model)
        let bActs = network.collectActivations(inputs: dump.inputs.storage).post[0]
        let expected = Self.plainCKA(dump.layers[0].post.storage, 16, bActs, 16)
        let cka = (comparisons[0]["results"] as! [[String: Any]])[0]
        let matrix = cka["matrix"] as! [[Double]]
        #expect(cka["measure"] as? String == "cka" && matrix[0][0] == 1 && matrix[1][1] == 1 && matrix[0][1] == matrix[1][0])
        #expect(abs(matrix[0][1] - expected) < 1e-9 * expected, "CKA \(matrix[0][1]) vs \(expected) computed here")
        #expect(expected > 0.2 && expected < 0.999, "two seeds are neither unrelated nor identical: \(expected)")
        let distances = (comparisons[0]["results"] as! [[String: Any]]).filter { $0["kind"] as? String == "distance" }
        #expect(distances.map { ($0["matrix"] as! [[Double]])[0][0] } == [0, 0])
        #expect(((cka["off_diagonal"] as! [String: Any])["count"] as? Int) == 1)
        // Same output twice (no Dictionary order anywhere).
        #expect(try runNNProbe(["similarity", a, b, "--json"]).stdout == result.stdout)
    }

    @Test func dumpsMustHoldTheSameRowsInTheSameOrder() throws {
        let (dir, a, b) = try Self.trainTwo()
        let dumpA = a.replacingOccurrences(of: ".h5", with: ".acts-test.h5")
        let dumpB = b.replacingOccurrences(of: ".h5", with: ".acts-test.h5")
        // Each seed's test split is its own: b's dump is refused, in one line naming both files.
        let refused = try runNNProbe(["similarity", dumpA, dumpB])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("nnprobe: error: \(dumpB): its inputs are not the rows of \(dumpA) (row 0 of")
                && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        // A checkpoint against its own dump: identical on every layer and measure.
        let same = try json(runNNProbe(["similarity", dumpA, a, "--measure", "debiased-cka", "--json"]))
        for comparison in same["comparisons"] as! [[String: Any]] {
            let value = ((comparison["results"] as! [[String: Any]])[0]["matrix"] as! [[Double]])[0][1]
            #expect(abs(value - 1) < 1e-9, "layer \(comparison["layer"]!): \(value)")
        }
        // One file: its layers against each other, with a heat map.
        let svg = dir.appendingPathComponent("heat.svg").path
        let layers = try json(runNNProbe(["similarity", "--layers-of", a, "--measure", "cka", "--json", "--plot", svg]))
        let comparison = (layers["comparisons"] as! [[String: Any]])[0]
        #expect(layers["mode"] as? String == "layers" && comparison["layer"] == nil && comparison["labels"] as? [String] == ["layer_0", "layer_1"])
        let figure = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(figure.hasPrefix("<svg") && figure.contains("layers: cka (yellow = 1)"))
        // A layer the nets lack is named per file; --layer with one file says to drop it.
        let missing = try runNNProbe(["similarity", a, b, "--layer", "2"])
        #expect(missing.status == 1 && missing.stdout.isEmpty && missing.stderr == [a, b].map {
            "nnprobe: error: \($0): --layer 2 is out of range; valid layers: 0…1\n" }.joined())
        #expect(try runNNProbe(["similarity", a, "--layer", "0"]).stderr.contains("with one file every layer is compared with every other"))
        let bad = try runNNProbe(["similarity", a, b, "--layers-of", a])
        #expect(bad.status != 0 && bad.stderr.contains("--layers-of compares the layers of one file"))
    }
}
