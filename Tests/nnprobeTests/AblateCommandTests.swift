import Foundation
import NNCheckpoint
import NNModel
import Testing

/// `nnprobe ablate` end to end on small trained multi-mult checkpoints.
@Suite struct AblateCommandTests {
    /// One multi-mult checkpoint (with its test-split dump) in a fresh directory.
    static func trainOne(seed: Int = 0, in dir: URL? = nil) throws -> String {
        let dir = try dir ?? temporaryDirectory()
        let path = dir.appendingPathComponent("mm-s\(seed).h5").path
        let result = try runNNProbe(["train", "multi-mult", "--lr", "0.003", "--epochs", "4", "--train-size", "2000",
                                     "--seed", String(seed), "--save", path])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    /// Each task's MSE on the dump's rows, with hidden unit `unit` (if any) set to its mean over
    /// the rows: the one-hidden-layer forward pass written out plainly, in Float64.
    static func plainLosses(_ model: MLP, _ dump: ActivationDump, meanAblating unit: Int?) -> [Double] {
        let (hidden, output) = (model.layers[0], model.layers[1])
        let n = dump.rowCount, width = hidden.outputs
        var h = [[Double]](repeating: [Double](repeating: 0, count: width), count: n)
        for r in 0..<n {
            for j in 0..<width {
                var z = Double(hidden.bias[j])
                for i in 0..<hidden.inputs { z += Double(hidden.weight[j, i]) * Double(dump.inputs[r, i]) }
                h[r][j] = max(0, z)
            }
        }
        if let unit {
            var mean = 0.0
            for r in 0..<n { mean += h[r][unit] }
            for r in 0..<n { h[r][unit] = mean / Double(n) }
        }
        var losses = [0.0, 0.0]
        for o in 0..<2 {
            for r in 0..<n {
                var y = Double(output.bias[o])
                for j in 0..<width { y += Double(output.weight[o, j]) * h[r][j] }
                losses[o] += (y - Double(dump.targets[r, o])) * (y - Double(dump.targets[r, o])) / Double(n)
            }
        }
        return losses
    }

    @Test func oneCheckpointMatchesAPlainForwardPassAndRepeatsExactly() throws {
        let path = try Self.trainOne()
        let arguments = ["ablate", path, "--patch", "--top-k", "2", "--units", "0,1", "--json"]
        let result = try runNNProbe(arguments)
        let report = try json(result)
        #expect(report["schema"] as? String == "nnprobe.ablate/1" && report["mode"] as? String == "mean")
        let file = (report["files"] as! [[String: Any]])[0]
        #expect(file["layer"] as? String == "layer_0" && file["width"] as? Int == 16 && file["readout"] as? String == "layer_1")
        #expect(file["rows"] as? String == "test split" && file["tasks"] as? [String] == ["task0", "task1"])
        let units = file["units"] as! [[String: Any]]
        #expect(units.count == 16 && units.allSatisfy { $0["weights"] != nil && $0["agrees"] != nil })
        #expect((file["groups"] as! [[String: Any]]).map { $0["label"] as! String } == ["units 0,1", "task0 top-2", "task1 top-2"])
        let patches = (file["patching"] as! [String: Any])["patches"] as! [[String: Any]]
        #expect(patches.suffix(3).map { $0["label"] as! String } == ["units 0,1", "task0 top-2", "task1 top-2"])
        // The numbers: a plain forward pass over the rows of the test split's dump.
        let model = try Checkpoint.read(from: path).model
        let dump = try ActivationDumpReader(path: path.replacingOccurrences(of: ".h5", with: ".acts-test.h5")).readAll()
        #expect(file["n_samples"] as? Int == dump.rowCount)
        let base = file["base_losses"] as! [Double], expectedBase = Self.plainLosses(model, dump, meanAblating: nil)
        #expect(zip(base, expectedBase).allSatisfy { abs($0 - $1) <= 1e-9 * $1 }, "\(base) vs \(expectedBase)")
        for unit in [3, 11] {
            let losses = units[unit]["losses"] as! [Double], expected = Self.plainLosses(model, dump, meanAblating: unit)
            #expect(zip(losses, expected).allSatisfy { abs($0 - $1) <= 1e-9 * $1 }, "unit \(unit): \(losses) vs \(expected)")
        }
        // Byte-identical on a second run.
        #expect(try runNNProbe(arguments).stdout == result.stdout)
        // The table and the figure.
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        let text = try runNNProbe(["ablate", path, "--patch", "--plot", dir.appendingPathComponent("ablate.svg").path])
        #expect(text.status == 0 && text.stdout.hasPrefix("\(path): layer_0 (16 units), mean-ablated on the test split"), "\(text.stdout)")
        #expect(text.stdout.contains("agree on ") && text.stdout.contains("task0-only units"))
        let svg = try String(contentsOf: dir.appendingPathComponent("ablate.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("Each unit of layer_0 ablated (mean)") && svg.contains("Patched from another row"))
    }

    @Test func aSweepDirectoryGivesTheDistributionOfAgreement() throws {
        let dir = try temporaryDirectory()
        for seed in 0..<3 { _ = try Self.trainOne(seed: seed, in: dir) }
        let report = try json(runNNProbe(["ablate", dir.path, "--json"]))
        let files = report["files"] as! [[String: Any]]
        #expect(files.count == 3)
        let across = report["across"] as! [String: Any]
        #expect(across["count"] as? Int == 3 && (across["agreement_share"] as! [String: Any])["count"] as? Int == 3)
        let confusion = across["confusion"] as! [String: Any]
        #expect(confusion["labels"] as? [String] == ["mono task0", "mono task1", "shared", "dead"])
        #expect((confusion["counts"] as! [[Int]]).joined().reduce(0, +) == 3 * 16)
        // Its diagonal is the units the two judgements agree on.
        let diagonal = (confusion["counts"] as! [[Int]]).enumerated().reduce(0) { $0 + $1.element[$1.offset] }
        #expect(diagonal == files.reduce(0) { $0 + (($1["agreement"] as! [String: Any])["agree"] as! Int) })
    }

    @Test func badFlagsAreOneLineNamingTheFlag() throws {
        let path = try Self.trainOne()
        func refused(_ arguments: [String], _ expected: String, status: Int32 = 1) throws {
            let result = try runNNProbe(["ablate", path] + arguments)
            #expect(result.status == status && result.stdout.isEmpty, "\(arguments): exit \(result.status)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.first.map { $0.contains(expected) } == true, "\(arguments): \(result.stderr)")
            if status == 1 { #expect(lines.count == 1, "\(arguments): \(result.stderr)") }
        }
        try refused(["--units", "3,16"], "nnprobe: error: \(path): --units 16 is out of range: layer_0 has 16 units (0…15)")
        try refused(["--layer", "1"], "\(path): --layer 1 is out of range; valid layers: 0…0")
        try refused(["--layer", "block7"], "\(path): --layer block7 is not a layer of this model; layers: layer_0, block0.main.0")
        try refused(["--top-k", "17"], "\(path): --top-k 17 is more than the 16 units of layer_0")
        try refused(["--threshold", "0.3"], "--threshold 0.3: must be in [0.5, 1]", status: 64)
        try refused(["--units", "2,2"], "--units lists a unit twice", status: 64)
        try refused(["--mode", "half"], "--mode", status: 64)
        try refused(["--on", "everything"], "--on", status: 64)
        let mult = path.replacingOccurrences(of: "mm-s0.h5", with: "mult.h5")
        #expect(try runNNProbe(["train", "mult", "--epochs", "1", "--save", mult, "--no-dump"]).status == 0)
        let probes = try runNNProbe(["ablate", mult, "--on", "probes"])
        #expect(probes.status == 1 && probes.stderr.contains("\(mult): --on probes needs a regression task with sub-tasks"), "\(probes.stderr)")
    }
}
