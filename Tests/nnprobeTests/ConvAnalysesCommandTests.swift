import Foundation
import NNCheckpoint
import NNModel
import Testing

/// Every analysis on conv checkpoints with layers addressed by name (issue 13): a two-seed sweep
/// of a tiny ResNet with a head on each stage (Fashion-MNIST, stages of 3 and 6 channels). Each
/// command's `--json` with a stage, block or torchvision name is checked against the checkpoint's
/// own tensors (read with NNCheckpoint, norms summed here); a wrong name is one line listing the
/// valid ones; `report` of the sweep has every section that applies.
@Suite(.serialized) struct ConvAnalysesCommandTests {
    /// The sweep directory and its seed-0 checkpoint, trained once for the suite.
    static let sweep: (directory: String, checkpoint: String) = {
        let dir = try! temporaryDirectory().appendingPathComponent("stageheads").path
        let trained = try! runNNProbe(["train", "fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "3", "--heads-on", "stages",
                                       "--train-size", "200", "--val-size", "50", "--test-size", "80", "--epochs", "2", "--seeds", "0..1",
                                       "--save", dir])
        precondition(trained.status == 0, trained.stderr)
        let files = try! FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".h5") && !$0.contains(".acts-") }.sorted()
        return (dir, "\(dir)/\(files.first { $0.contains("seed0") } ?? files[0])")
    }()

    static func run(_ arguments: [String]) throws -> [String: Any] {
        let result = try runNNProbe(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try json(result)
    }

    /// The checkpoint's weight tensors by layer name (`block2.main.0` → its kernel's values).
    static func kernels() throws -> [String: [Float]] {
        let model = try #require(try Checkpoint.read(from: sweep.checkpoint, convNets: true).layers)
        let network = try LayerNetwork<Float>(model)
        var found: [String: [Float]] = [:]
        for t in network.tensors where t.name.hasSuffix(".weight") && t.shape.count >= 2 {
            found[String(t.name.dropLast(".weight".count))] = Array(model.parameters[t.offset..<(t.offset + t.count)])
        }
        return found
    }

    @Test func normsOfAStage() throws {
        let doc = try Self.run(["norms", Self.sweep.checkpoint, "--layer", "stage2", "--json"])
        let entries = try #require(((doc["files"] as? [[String: Any]])?.first?["entries"]) as? [[String: Any]])
        #expect(entries.map { $0["name"] as! String } == ["block2.main.0", "block2.main.3", "block2.shortcut.0"])
        let kernels = try Self.kernels()
        for entry in entries {
            let values = try #require(kernels[entry["name"] as! String])
            let frobenius = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let got = entry["frobenius_norm"] as! Double
            #expect(abs(got - frobenius) <= 1e-12 * frobenius, "\(entry["name"]!): \(got) vs \(frobenius)")
        }
        // svd takes the same names.
        let svd = try Self.run(["svd", Self.sweep.checkpoint, "--layer", "stage2", "--view", "flattened", "--json"])
        let spectra = ((svd["files"] as? [[String: Any]])?.first?["layers"] as? [[String: Any]]) ?? []
        #expect(spectra.map { $0["name"] as! String } == ["block2.main.0", "block2.main.3", "block2.shortcut.0"], "\(spectra.map { $0["name"] ?? "" })")
        // torchvision's name for one layer.
        let one = try Self.run(["norms", Self.sweep.checkpoint, "--layer", "layer2.0.conv2", "--json"])
        #expect(((one["files"] as? [[String: Any]])?.first?["entries"] as? [[String: Any]])?.map { $0["name"] as! String } == ["block2.main.3"])
    }

    @Test func gradsOfATorchvisionLayer() throws {
        let doc = try Self.run(["grads", Self.sweep.checkpoint, "--layer", "layer2.0.conv1", "--json"])
        let tensors = try #require(((doc["files"] as? [[String: Any]])?.first?["tensors"]) as? [[String: Any]])
        #expect(tensors.map { $0["name"] as! String } == ["block2.main.0.weight"])
        // The whole of stage 1: its convs and batch norms (weight and bias each), nothing else.
        let stage = try Self.run(["grads", Self.sweep.checkpoint, "--layer", "stage1", "--json"])
        let names = ((stage["files"] as? [[String: Any]])?.first?["tensors"] as? [[String: Any]])?.map { $0["name"] as! String } ?? []
        let records = try Checkpoint.read(from: Self.sweep.checkpoint, convNets: true).gradients.records.map(\.name)
        #expect(names == records.filter { $0.hasPrefix("block1.") } && names.count == 6, "\(names)")
    }

    @Test func inspectOfABlock() throws {
        let doc = try Self.run(["inspect", Self.sweep.checkpoint, "--layer", "block2", "--json"])
        let model = try #require(doc["model"] as? [String: Any])
        let layers = try #require(model["layers"] as? [[String: Any]])
        #expect(layers.allSatisfy { ($0["name"] as! String).hasPrefix("block2.") } && layers.count == 8)
        #expect(layers.first?["weight_shape"] as? [Int] == [6, 3, 3, 3] && (model["heads"] as? [Any])?.isEmpty == true)
        let head = try Self.run(["inspect", Self.sweep.checkpoint, "--layer", "head1", "--json"])
        #expect(((head["model"] as? [String: Any])?["heads"] as? [[String: Any]])?.last?["weight_shape"] as? [Int] == [10, 6])
    }

    /// pca of a stage: its last block's pooled channels, the same numbers from the checkpoint as
    /// from the dump `train` wrote of the same test rows.
    @Test func pcaOfAStage() throws {
        let doc = try Self.run(["pca", Self.sweep.checkpoint, "--layer", "stage2", "--json"])
        let layer = try #require((doc["layers"] as? [[String: Any]])?.first)
        #expect(layer["layer"] as? Int == 2 && layer["n_features"] as? Int == 6 && layer["n_samples"] as? Int == 80)
        let dump = try temporaryDirectory().appendingPathComponent("pooled.h5").path
        let wrote = try runNNProbe(["dump", Self.sweep.checkpoint, "--dump-rows", "0", "--out", dump])
        #expect(wrote.status == 0, "\(wrote.stderr)")
        let fromDump = try Self.run(["pca", dump, "--layer", "block2", "--json"])
        let a = layer["explained_variance"] as! [Double], b = (fromDump["layers"] as! [[String: Any]])[0]["explained_variance"] as! [Double]
        #expect(a.count == 6 && b.count == 6 && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * a[0] }, "\(a) vs \(b)")
    }

    @Test func orthoOfStageHeads() throws {
        let doc = try Self.run(["ortho", Self.sweep.checkpoint, "--json"])
        let file = try #require((doc["files"] as? [[String: Any]])?.first)
        let readouts = try #require(file["readouts"] as? [[String: Any]])
        #expect(readouts.map { $0["source"] as! String } == ["head0.1", "head1.1"])
        #expect(readouts.map { $0["features"] as! String } == ["3 pooled channels of block1 (stage1)", "6 pooled channels of block2 (stage2)"])
        #expect((file["note"] as? String)?.contains("different features") == true)
        // The read-out vectors are the heads' weights (to the JSON's 17 significant digits).
        let kernels = try Self.kernels()
        for r in readouts {
            let vectors = (r["vectors"] as! [[Double]]).flatMap { $0 }, weights = kernels[r["source"] as! String]!.map(Double.init)
            #expect(vectors.count == weights.count && zip(vectors, weights).allSatisfy { abs($0 - $1) <= 1e-15 * max(abs($1), 1e-300) })
        }
    }

    @Test(arguments: ["norms", "grads", "inspect", "pca"])
    func aWrongNameListsTheValidOnes(command: String) throws {
        let result = try runNNProbe([command, Self.sweep.checkpoint, "--layer", "stage3"])
        #expect(result.status != 0 && !result.terminatedBySignal)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("--layer stage3") && lines[0].contains("block1") && lines[0].contains("stage2"), "\(result.stderr)")
    }

    /// The same flags on an MLP: `layer_1` by name or index, its tensors and its row of the model.
    @Test func mlpLayersByNameOrIndex() throws {
        let dir = try temporaryDirectory()
        let trained = try runNNProbe(["train", "mult", "--hidden", "8,6", "--epochs", "2", "--train-size", "200", "--save", "mlp.h5"], in: dir)
        #expect(trained.status == 0, "\(trained.stderr)")
        let path = dir.appendingPathComponent("mlp.h5").path
        let grads = try Self.run(["grads", path, "--layer", "layer_1", "--json"])
        #expect(((grads["files"] as? [[String: Any]])?.first?["tensors"] as? [[String: Any]])?.map { $0["name"] as! String }
                == ["layer_1.weight", "layer_1.bias"])
        let inspect = try Self.run(["inspect", path, "--layer", "1", "--json"])
        #expect(((inspect["model"] as? [String: Any])?["layers"] as? [[String: Any]])?.map { $0["weight_shape"] as! [Int] } == [[6, 8]])
        let pca = try Self.run(["pca", path, "--layer", "layer_1", "--json"])
        #expect((pca["layers"] as? [[String: Any]])?.map { $0["layer"] as! Int } == [1])
        let wrong = try runNNProbe(["norms", path, "--layer", "stage1"])
        #expect(wrong.status != 0 && wrong.stderr.split(separator: "\n").count == 1 && wrong.stderr.contains("layer_0, layer_1, layer_2"), "\(wrong.stderr)")
    }

    @Test func reportOfTheSweep() throws {
        let page = try temporaryDirectory().appendingPathComponent("page.html").path
        let result = try runNNProbe(["report", Self.sweep.directory, "--out", page])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        for section in ["Runs", "Learning curves", "Weight spectra", "Weight norms", "Gradient flow", "Read-out orthogonality"] {
            #expect(html.contains("<h2>\(section)"), "no section \(section)")
        }
        #expect(html.contains("pooled channels of block2 (stage2)") && html.contains("different features"))
        let single = try runNNProbe(["report", Self.sweep.checkpoint, "--out", page])
        #expect(single.status == 0, "\(single.stderr)")
        let one = try String(contentsOfFile: page, encoding: .utf8)
        #expect(one.contains("<h2>Model</h2>") && one.contains("block2.shortcut.0") && one.contains("conv2d"))
        let model = try #require(try Checkpoint.read(from: Self.sweep.checkpoint, convNets: true).layers)
        #expect(ReportCommandTests.table(one, section: "Checkpoint").contains(["parameters", String(model.parameterCount)]))
    }
}
