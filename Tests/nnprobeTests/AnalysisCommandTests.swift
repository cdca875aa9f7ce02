import Foundation
import Testing

/// The committed fixtures made by Tests/NNAnalysisTests/Fixtures/make_fixtures.py.
func analysisFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NNAnalysisTests/Fixtures/\(name)").path
}

func json(_ result: CLIResult) throws -> [String: Any] {
    #expect(result.status == 0, "\(result.stderr)")
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
}

/// Trains a small multi-mult model per seed into `dir`; returns the checkpoint paths.
func trainMultiMult(in dir: URL, seeds: [Int], hidden: String = "16", epochs: Int = 15) throws -> [String] {
    try seeds.map { seed in
        let path = dir.appendingPathComponent("mm-s\(seed).h5").path
        let result = try runNNProbe(["train", "multi-mult", "--hidden", hidden, "--lr", "0.003", "--epochs", String(epochs),
                                     "--seed", String(seed), "--train-size", "4000", "--save", path, "--no-dump"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }
}

@Suite struct AnalysisCommandTests {
    nonisolated(unsafe) static let reference = try! JSONSerialization.jsonObject(  // read-only after loading
        with: Data(contentsOf: URL(fileURLWithPath: analysisFixture("safetensors_reference.json")))) as! [String: Any]

    @Test(arguments: ["f32", "f16", "bf16"])
    func svdReadsSafetensorsLikeNumpy(dtype: String) throws {
        let report = try json(runNNProbe(["svd", analysisFixture("mlp_\(dtype).safetensors"), "--json"]))
        let layers = ((report["files"] as! [[String: Any]])[0]["layers"] as! [[String: Any]])
        let expected = Self.reference[dtype] as! [String: [String: Any]]
        #expect(layers.map { $0["name"] as! String } == ["0.weight", "2.weight", "4.weight"])
        for layer in layers {
            let numpy = (expected[layer["name"] as! String]!["singular_values"] as! [Double])
            let ours = layer["singular_values"] as! [Double]
            for (a, b) in zip(ours, numpy) { #expect(abs(a - b) <= 1e-6 * numpy[0], "\(layer["name"]!): \(a) vs \(b)") }
        }
    }

    @Test func importedModelKeepsWeightsAndNorms() throws {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("imported.h5").path
        let imported = try json(runNNProbe(["import", analysisFixture("mlp_f32.safetensors"), "--out", out, "--json"]))
        #expect(imported["layers"] as! [[Int]] == [[16, 4], [16, 16], [2, 16]])
        #expect(imported["parameter_count"] as? Int == 4 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2)
        let direct = try json(runNNProbe(["norms", analysisFixture("mlp_f32.safetensors"), "--json"]))
        let viaCheckpoint = try json(runNNProbe(["norms", out, "--json"]))
        func frobenius(_ r: [String: Any]) -> [Double] {
            ((r["files"] as! [[String: Any]])[0]["entries"] as! [[String: Any]]).map { $0["frobenius_norm"] as! Double }
        }
        #expect(frobenius(direct) == frobenius(viaCheckpoint))
        let values = (Self.reference["f32"] as! [String: [String: Any]])["0.weight"]!["values"] as! [Double]
        let numpyNorm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(frobenius(direct)[0] - numpyNorm) < 1e-6 * numpyNorm)
    }

    @Test func badInputIsOneLine() throws {
        let dir = try temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.safetensors")
        try Data([200, 0, 0, 0, 0, 0, 0, 0]).write(to: bad)
        var result = try runNNProbe(["svd", bad.path])
        #expect(result.status == 1 && result.stderr.contains("corrupt safetensors header"))
        try Data([4, 0, 0, 0, 0, 0, 0, 0] + Array("[1,2".utf8)).write(to: bad)
        result = try runNNProbe(["import", bad.path, "--out", dir.appendingPathComponent("x.h5").path])
        #expect(result.status == 1 && result.stderr.contains("not a JSON object"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))
        result = try runNNProbe(["svd", dir.appendingPathComponent("*.h5").path])
        #expect(result.status == 1 && result.stderr.contains("no files match this pattern"))
        let checkpoint = try trainMultiMult(in: dir, seeds: [0], epochs: 1)[0]
        result = try runNNProbe(["svd", checkpoint, "--layer", "2"])
        #expect(result.stderr == "nnprobe: error: \(checkpoint): --layer 2 is out of range; valid layers: 0 (layer_0 16×4), 1 (layer_1 2×16)\n")
        result = try runNNProbe(["pca", checkpoint, "--vary", "task9"])
        #expect(result.stderr.contains("no sub-task 'task9'; its sub-tasks: task0, task1, or all"))
        let dump = dir.appendingPathComponent("d.h5").path
        #expect(try runNNProbe(["dump", checkpoint, "--dataset", "test", "--out", dump]).status == 0)
        result = try runNNProbe(["pca", dump, "--vary", "task0"])
        #expect(result.status == 1 && result.stderr.contains("this dump varies nothing (it is the test split), not task0"))
        for r in [try runNNProbe(["grads", dump]), try runNNProbe(["ortho", dump])] {
            #expect(r.status == 1 && r.stderr.contains("is an activation dump, expected a checkpoint"))
        }
    }

    /// Errors of the analyses library (NNModelAnalyses) reach the user as one line naming the
    /// file and the flag; `--dataset` and the probe kinds are enums with the same strings as before.
    @Test func libraryErrorsNameFileAndFlag() throws {
        let dir = try temporaryDirectory()
        let vector = dir.appendingPathComponent("vector.safetensors")
        let header = Array(#"{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#.utf8)
        try Data([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 8)).write(to: vector)
        var result = try runNNProbe(["svd", vector.path])
        #expect(result.status == 1 && result.stderr == "nnprobe: error: \(vector.path): no 2-D tensors\n")

        let checkpoint = try trainMultiMult(in: dir, seeds: [0], epochs: 1)[0]
        let varied = dir.appendingPathComponent("task0.h5").path
        #expect(try runNNProbe(["dump", checkpoint, "--vary", "task0", "--grid", "4", "--contexts", "2", "--out", varied]).status == 0)
        result = try runNNProbe(["pca", varied, "--vary", "task1"])
        #expect(result.status == 1 && result.stderr == "nnprobe: error: \(varied): this dump varies task0, not task1; "
                + "make one with `nnprobe dump CKPT --vary task1` or pass the checkpoint\n")
        let pca = try json(runNNProbe(["pca", varied, "--json"]))
        #expect(pca["varied_task"] as? String == "task0" && pca["grid_size"] as? Int == 4 && pca["contexts"] as? Int == 2)
        #expect((pca["layers"] as! [[String: Any]])[0]["n_samples"] as? Int == 32)

        result = try runNNProbe(["dump", checkpoint, "--dataset", "bogus"])
        #expect(result.status == 64 && result.stderr.contains("Please provide one of 'test', 'val' or 'train'"))
        let split = dir.appendingPathComponent("val.h5").path
        let dump = try json(runNNProbe(["dump", checkpoint, "--dataset", "val", "--out", split, "--json"]))
        #expect(dump["probe"] as? String == "dataset:val")
        let inspected = try json(runNNProbe(["inspect", split, "--json"]))
        let probe = inspected["probe"] as! [String: Any]
        #expect(probe["kind"] as? String == "dataset" && probe["dataset"] as? String == "val")
        #expect(inspected["n_samples"] as? Int == dump["n_samples"] as? Int && (dump["n_samples"] as? Int ?? 0) > 0)
    }

    @Test func multiMultShowsTheStudysStructure() throws {
        let dir = try temporaryDirectory()
        let paths = try trainMultiMult(in: dir, seeds: [0, 1, 2, 3])
        // Each task's variation concentrates in a few components of the hidden layer …
        let pca = try json(runNNProbe(["pca", paths[0], "--vary", "task0", "--json"]))
        let hidden = (pca["layers"] as! [[String: Any]])[0]
        #expect((hidden["n_components_90"] as! Int) <= 4)
        #expect((hidden["explained_variance_ratio"] as! [Double])[0] > 0.4)
        // … the two tasks' subspaces are far from aligned, and the other read-out barely moves.
        let angles = (pca["principal_angles"] as! [[String: Any]])[0]["angles_degrees"] as! [Double]
        #expect(angles[0] > 45)
        let leakage = (pca["leakage"] as! [[String: Any]])[0]["ratio"] as! Double
        #expect(leakage < 0.2)
        // The read-outs are close to orthogonal, and the directory form reports the distribution.
        let ortho = try json(runNNProbe(["ortho", dir.path, "--json"]))
        #expect((ortho["files"] as! [Any]).count == 4)
        let across = ortho["across"] as! [String: Any]
        #expect(((across["abs_cosine"] as! [String: Any])["median"] as! Double) < 0.3)
        #expect((across["histogram_counts"] as! [Int]).reduce(0, +) == 4)
        // svd over the directory reports each file and the spread.
        let svd = try json(runNNProbe(["svd", dir.path, "--json"]))
        #expect(((svd["distribution"] as! [String: Any])["layer_0"] as! [String: Any]).keys.contains("stable_rank"))
    }

    @Test func gradsFlagsVanishingGradientsOfADeepPlainNet() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("deep.h5").path
        #expect(try runNNProbe(["train", "spirals", "--depth", "60", "--width", "16", "--epochs", "1", "--train-size", "256",
                                "--save", path, "--no-dump"]).status == 0)
        let report = try json(runNNProbe(["grads", path, "--json"]))
        let tensors = (report["files"] as! [[String: Any]])[0]["tensors"] as! [[String: Any]]
        let first = tensors.first { $0["name"] as! String == "layer_0.weight" }!
        let last = tensors.first { $0["name"] as! String == "layer_60.weight" }!
        #expect((first["flags"] as! [String]).contains("vanishing"))
        #expect((last["flags"] as! [String]).isEmpty)
    }

    @Test func dumpThenPCAStreamsTheSameAnswerAsTheCheckpoint() throws {
        let dir = try temporaryDirectory()
        let checkpoint = try trainMultiMult(in: dir, seeds: [5], epochs: 3)[0]
        let dump = dir.appendingPathComponent("t1.h5").path
        #expect(try runNNProbe(["dump", checkpoint, "--vary", "task1", "--grid", "11", "--contexts", "3", "--out", dump]).status == 0)
        let fromDump = try json(runNNProbe(["pca", dump, "--json"]))
        let fromCheckpoint = try json(runNNProbe(["pca", checkpoint, "--vary", "task1", "--grid", "11", "--contexts", "3", "--json"]))
        let a = (fromDump["layers"] as! [[String: Any]])[0]["explained_variance_ratio"] as! [Double]
        let b = (fromCheckpoint["layers"] as! [[String: Any]])[0]["explained_variance_ratio"] as! [Double]
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-9) }
        #expect((fromDump["layers"] as! [[String: Any]])[0]["n_samples"] as? Int == 363)
    }
}
