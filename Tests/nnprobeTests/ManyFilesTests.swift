import Foundation
import NNCheckpoint
import NNLinalg
import NNModel
import Testing

/// Analyses over many files: one bad file is named in one stderr line (and in the JSON's `errors`),
/// the others are still analysed, and the exit status is 1 at the end (issue 19, item 3).
@Suite struct ManyFilesTests {
    /// Four good multi-mult checkpoints and two damaged ones (`trunc.h5`, `garbage.h5`), made once.
    nonisolated(unsafe) static let mixed: (directory: String, good: [String], bad: [String]) = {  // read-only after making
        let dir = try! temporaryDirectory().appendingPathComponent("runs")
        let trained = try! runNNProbe(["train", "multi-mult", "--epochs", "1", "--train-size", "256", "--seeds", "0..3", "--save", dir.path])
        precondition(trained.status == 0, trained.stderr)
        let good = CheckpointInputsFiles.h5(in: dir.path)
        let truncated = dir.appendingPathComponent("trunc.h5")
        try! Data(try! Data(contentsOf: URL(fileURLWithPath: good[0])).prefix(3000)).write(to: truncated)
        let garbage = dir.appendingPathComponent("garbage.h5")
        try! Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: garbage)
        return (dir.path, good, [garbage.path, truncated.path])
    }()

    /// A trained-looking checkpoint whose `layer_0` weight holds one NaN.
    static func nanCheckpoint(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("nan.h5").path
        var weight = Matrix<Float>(rows: 16, cols: 4)
        for i in 0..<16 { weight[i, i % 4] = Float(i + 1) }
        weight[0, 0] = .nan
        let layer = DenseLayer(weight: weight, bias: Array(repeating: 0, count: 16), activation: .relu)
        let out = DenseLayer(weight: Matrix(rows: 2, cols: 16, repeating: 0.5), bias: [0, 0], activation: .identity)
        try Checkpoint(task: "multi-mult", seed: 0, config: "{}", model: MLP(layers: [layer, out]), history: TrainingHistory()).write(to: path)
        return path
    }

    /// stderr's lines.
    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test(arguments: ["svd", "norms", "grads", "ortho", "inspect", "similarity", "ablate"])
    func oneDamagedFileDoesNotSinkADirectory(command: String) throws {
        let (dir, good, bad) = Self.mixed
        let result = try runNNProbe([command, dir])
        #expect(!result.terminatedBySignal && result.status == 1, "\(result.stderr)")
        for file in good { #expect(result.stdout.contains(file), "\(command): \(file) is missing from the output") }
        let errors = Self.lines(result.stderr)
        #expect(errors.count == 2, "\(result.stderr)")
        for file in bad { #expect(errors.contains { $0.hasPrefix("nnprobe: error: \(file): ") }, "\(result.stderr)") }
    }

    @Test(arguments: ["svd", "norms", "grads", "ortho", "inspect", "ablate"])
    func jsonListsTheBadFilesAsErrors(command: String) throws {
        let (dir, good, bad) = Self.mixed
        let result = try runNNProbe([command, dir, "--json"])
        #expect(!result.terminatedBySignal && result.status == 1, "\(result.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((document["files"] as! [[String: Any]]).map { $0["file"] as! String } == good)
        let errors = try #require(document["errors"] as? [[String: String]])
        #expect(errors.map { $0["file"]! } == bad)
        #expect(errors.allSatisfy { !$0["error"]!.isEmpty && !$0["error"]!.hasPrefix($0["file"]!) })
        #expect(Self.lines(result.stderr).count == 2)
    }

    @Test func acrossFilesDistributionCoversTheGoodFiles() throws {
        let (dir, good, _) = Self.mixed
        let svd = try runNNProbe(["svd", dir, "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(svd.stdout.utf8)) as! [String: Any]
        let layer0 = try #require((document["distribution"] as? [String: Any])?["layer_0"] as? [String: Any])
        #expect((layer0["stable_rank"] as? [String: Any])?["count"] as? Int == good.count)
        #expect(try runNNProbe(["svd", dir]).stdout.contains("across \(good.count) files"))
    }

    @Test func everyFileFailingIsOneLineEachAndNoOutput() throws {
        let (_, _, bad) = Self.mixed
        for arguments in [["svd"] + bad, ["norms"] + bad + ["--json"], ["inspect", bad[0]]] {
            let result = try runNNProbe(arguments)
            #expect(!result.terminatedBySignal && result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(Self.lines(result.stderr).count == arguments.count - (arguments.last == "--json" ? 2 : 1), "\(result.stderr)")
        }
    }

    @Test func nanWeightIsNamedNotPassedToLAPACK() throws {
        let dir = try temporaryDirectory()
        let path = try Self.nanCheckpoint(in: dir)
        let expected = "nnprobe: error: \(path): layer_0/weight has 1 NaN (16 × 4 matrix); its spectrum is undefined\n"
        for arguments in [["svd", path], ["svd", path, "--vectors", "--json"], ["norms", path, "--json"]] {
            let result = try runNNProbe(arguments)
            #expect(result.status == 1 && result.stdout.isEmpty)
            #expect(result.stderr == expected, "\(arguments)")
        }
        let (_, good, _) = Self.mixed
        let result = try runNNProbe(["svd", good[0], path, "--json"])
        #expect(result.status == 1 && result.stderr == expected)
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(document["errors"] as? [[String: String]] == [["file": path, "error": "layer_0/weight has 1 NaN (16 × 4 matrix); its spectrum is undefined"]])
        #expect((document["files"] as? [Any])?.count == 1)
    }

    @Test func inspectTakesSeveralFiles() throws {
        let (_, good, _) = Self.mixed
        let files = Array(good.prefix(3))
        let text = try runNNProbe(["inspect"] + files)
        #expect(text.status == 0 && text.stderr.isEmpty, "\(text.stderr)")
        for file in files { #expect(text.stdout.contains("\(file)  (checkpoint)")) }
        let many = try json(runNNProbe(["inspect"] + files + ["--json"]))
        #expect(many["schema"] as? String == "nnprobe.inspect/1" && many["errors"] == nil)
        let documents = try #require(many["files"] as? [[String: Any]])
        #expect(documents.map { $0["file"] as! String } == files)
        let one = try json(runNNProbe(["inspect", files[1], "--json"]))
        #expect(one["file"] as? String == files[1] && one["files"] == nil)
        #expect(NSDictionary(dictionary: one).isEqual(to: documents[1]))
    }
}

/// The `.h5` files directly in a directory, sorted.
enum CheckpointInputsFiles {
    static func h5(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".h5") }.sorted()
            .map { directory + "/" + $0 }
    }
}
