import Foundation
import NNCheckpoint
import Testing

/// `nnprobe probe` end to end on small trained checkpoints. (Scores against scikit-learn fitted
/// on the same activations: Tests/interop/test_probe.py; the solvers against fixtures:
/// NNAnalysisTests/ProbeTests, NNBaselinesTests.)
@Suite struct ProbeCommandTests {
    /// A 3-class blobs net (2-8-8-3) with 600 training, 200 validation and 300 test rows.
    static func trainBlobs(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("blobs.h5").path
        let result = try runNNProbe(["train", "blobs", "--classes", "3", "--hidden", "8,8", "--epochs", "3", "--lr", "0.01",
                                     "--train-size", "600", "--val-size", "200", "--test-size", "300", "--save", path, "--no-dump"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    @Test func classifierEveryLayerAndBaselinesTheSameTwice() throws {
        let dir = try temporaryDirectory()
        let path = try Self.trainBlobs(in: dir)
        let svg = dir.appendingPathComponent("probe.svg").path
        let arguments = ["probe", path, "--baseline", "all", "--json", "--plot", svg]
        let first = try runNNProbe(arguments)
        let figure = try Data(contentsOf: URL(fileURLWithPath: svg))
        let report = try json(first)
        #expect(report["schema"] as? String == "nnprobe.probe/1" && report["kind"] as? String == "classification"
                && report["metric"] as? String == "accuracy")
        #expect(report["n_train"] as? Int == 600 && report["n_held_out"] as? Int == 300 && report["held_out_split"] as? String == "test")
        let layers = report["layers"] as! [[String: Any]], baselines = report["baselines"] as! [[String: Any]]
        #expect(layers.map { $0["name"] as? String } == ["layer_0", "layer_1", "layer_2"])
        #expect(layers.map { $0["n_features"] as? Int } == [8, 8, 3])
        #expect(baselines.map { $0["method"] as? String } == ["logistic", "xgboost"] && baselines.allSatisfy { $0["layer"] is NSNull })
        for entry in layers + baselines {
            let score = entry["score"] as! Double
            // Accuracy on 300 rows is a multiple of 1/300, and blobs are learnable well above chance (1/3).
            #expect(abs(score * 300 - (score * 300).rounded()) < 1e-9 && score > 0.5, "\(entry)")
        }
        for entry in layers { #expect(entry["converged"] as? Bool == true && (entry["iterations"] as! Int) > 0) }
        let chance = report["chance"] as! Double
        #expect(chance > 0.2 && chance < 0.5)
        let settings = report["settings"] as! [String: Any]
        #expect(settings["C"] as? Double == 1 && settings["tol"] as? Double == 1e-10 && settings["alpha"] is NSNull)
        #expect((settings["xgboost"] as? [String: Any])?["n_estimators"] as? Int == 100)
        // The same bytes twice, figure included.
        #expect(try runNNProbe(arguments).stdout == first.stdout)
        #expect(try Data(contentsOf: URL(fileURLWithPath: svg)) == figure)
        let text = String(decoding: figure, as: UTF8.self)
        #expect(text.contains(">layer_2<") && text.contains(">logistic on the inputs<") && text.contains(">xgboost on the inputs<"))

        // One layer alone is that layer's entry; fewer rows and the validation split are what they say.
        let one = try json(runNNProbe(["probe", path, "--layer", "1", "--json"]))
        #expect((one["layers"] as! [[String: Any]]).map { $0["score"] as? Double } == [layers[1]["score"] as? Double])
        let capped = try json(runNNProbe(["probe", path, "--rows", "100", "--held-out", "val", "--layer", "0", "--json"]))
        #expect(capped["n_train"] as? Int == 100 && capped["n_held_out"] as? Int == 100 && capped["held_out_split"] as? String == "val")
        // Pre-activations differ from the outputs of a ReLU layer; a stronger penalty changes the fit.
        let pre = try json(runNNProbe(["probe", path, "--pre", "--layer", "0", "--json"]))
        #expect(pre["activations"] as? String == "pre")
        let strong = try json(runNNProbe(["probe", path, "--C", "0.001", "--layer", "0", "--json"]))
        #expect((strong["layers"] as! [[String: Any]])[0]["train_score"] as? Double != layers[0]["train_score"] as? Double)
        // The table.
        let table = try runNNProbe(["probe", path, "--baseline", "logistic"])
        #expect(table.status == 0 && table.stdout.contains("inputs (baseline)  logistic") && table.stdout.contains("layer_2"))
    }

    /// Ridge on the output layer of a regression net fits an affine map of its predictions: on the
    /// training rows it explains at least as much as the predictions themselves (R² computed here).
    @Test func regressionProbesAndSubTasks() throws {
        let dir = try temporaryDirectory()
        let path = try trainMultiMult(in: dir, seeds: [0], epochs: 4)[0]
        let report = try json(runNNProbe(["probe", path, "--baseline", "all", "--rows", "1000", "--json"]))
        #expect(report["kind"] as? String == "regression" && report["metric"] as? String == "r2" && report["chance"] is NSNull)
        let layers = report["layers"] as! [[String: Any]]
        #expect(layers.map { $0["method"] as? String } == ["ridge", "ridge"] && layers.allSatisfy { $0["iterations"] is NSNull })
        #expect((report["baselines"] as! [[String: Any]]).map { $0["method"] as? String } == ["ridge", "xgboost"])
        let checkpoint = try Checkpoint.read(from: path, training: false)
        let dump = dir.appendingPathComponent("train.h5").path
        #expect(try runNNProbe(["dump", path, "--dataset", "train", "--out", dump]).status == 0)
        let rows = try ActivationDumpReader(path: dump).readAll()
        let n = 1000, outputs = checkpoint.model.outputWidth
        let netR2 = (0..<outputs).map { j -> Double in   // per output, then averaged, as sklearn's r2_score
            let mean = (0..<n).reduce(0.0) { $0 + Double(rows.targets[$1, j]) } / Double(n)
            let residual = (0..<n).reduce(0.0) { $0 + pow(Double(rows.targets[$1, j] - rows.outputs[$1, j]), 2) }
            let spread = (0..<n).reduce(0.0) { $0 + pow(Double(rows.targets[$1, j]) - mean, 2) }
            return 1 - residual / spread
        }.reduce(0, +) / Double(outputs)
        #expect(layers[1]["train_score"] as! Double >= netR2 - 0.02, "probe \(layers[1]) vs the net's own R² \(netR2)")
        let task0 = try json(runNNProbe(["probe", path, "--task", "task0", "--layer", "0", "--json"]))
        #expect(task0["subtask"] as? String == "task0")
    }

    @Test func badFlagsAreOneLineAndNonZero() throws {
        let dir = try temporaryDirectory()
        let path = try Self.trainBlobs(in: dir)
        func fails(_ arguments: [String], _ expected: String, status: Int32? = nil) throws {
            let result = try runNNProbe(["probe", path] + arguments)
            #expect(result.status != 0 && !result.terminatedBySignal && result.stdout.isEmpty, "\(arguments): exit \(result.status)")
            if let status { #expect(result.status == status, "\(arguments): exit \(result.status)") }
            let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains(expected), "\(arguments): \(result.stderr)")
        }
        // Our own errors: exactly one line.
        for (arguments, expected) in [
            (["--layer", "99"], "nnprobe: error: \(path): --layer 99 is out of range; valid layers: 0…2"),
            (["--baseline", "ridge"], "\(path): --baseline ridge does not fit this task: it is a classification task; use logistic, xgboost or all"),
            (["--task", "task0"], "\(path): task blobs has no sub-task 'task0'; it has none (use --task all)"),
            (["--rows", "1"], "\(path): layer_0: the training rows hold only class"),
        ] {
            try fails(arguments, expected, status: 1)
            #expect(try runNNProbe(["probe", path] + arguments).stderr.filter { $0 == "\n" }.count == 1)
        }
        // The parser's: the first line says what is wrong, then the usage.
        try fails(["--rows", "0"], "--rows 0: need at least 1")
        try fails(["--C=-1"], "--C -1: must be a positive number")
        try fails(["--C", "0"], "--C 0: must be a positive number")
        try fails(["--alpha=-2"], "--alpha -2: must be 0 or more")
        try fails(["--tol", "0"], "--tol 0: must be a positive number")
        try fails(["--held-out", "train"], "The value 'train' is invalid for '--held-out <held-out>'")
        try fails(["--estimators", "0"], "--estimators 0: need at least 1")
        try fails(["--layer", "-1"], "--layer")
        let missing = try runNNProbe(["probe", dir.appendingPathComponent("absent.h5").path])
        #expect(missing.status == 1 && missing.stderr.contains("absent.h5") && missing.stderr.filter { $0 == "\n" }.count == 1)
    }
}
