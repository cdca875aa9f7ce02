import Foundation
import NNCheckpoint
import Testing
@testable import nnprobe

/// `ortho DIR` and `summary DIR --plot` read a sweep's pack (format 2: whole models, settings and
/// training curves) and print exactly what they print reading every checkpoint (issue 16, part 4).
@Suite struct PackedAnalysesTests {
    /// A sweep of four batch-normalised runs over two learning rates (which packs itself when it ends).
    static func sweep() throws -> String {
        let dir = try temporaryDirectory().appendingPathComponent("bn-sweep").path
        let trained = try runNNProbe(["train", "spirals", "--hidden", "8,8", "--batch-norm", "--lr", "0.01,0.1", "--seeds", "0..1",
                                      "--epochs", "3", "--train-size", "256", "--save", dir])
        #expect(trained.status == 0, "\(trained.stderr)")
        return dir
    }

    /// How many of the directory's checkpoints `ortho` would take from its pack.
    static func packedCheckpoints(_ dir: String) throws -> Int {
        var inputs = try CheckpointInputs.parse([dir])
        inputs.paths = [dir]
        return try inputs.resolvePackedCheckpoints().packed.count
    }

    /// stdout of `ortho DIR --json`, `ortho DIR`, `summary DIR --json --plot` and the figure's bytes.
    static func outputs(_ dir: String, figure: String) throws -> [String] {
        var texts: [String] = []
        for arguments in [["ortho", dir, "--json"], ["ortho", dir], ["summary", dir, "--json", "--plot", figure]] {
            let result = try runNNProbe(arguments)
            let expected = arguments[0] == "summary" ? "nnprobe: figure written to \(figure)\n" : ""
            #expect(result.status == 0 && result.stderr == expected, "\(arguments): \(result.stderr)")
            texts.append(result.stdout)
        }
        return texts + [try String(contentsOfFile: figure, encoding: .utf8)]
    }

    @Test func orthoAndSummaryPlotAreTheSameFromThePackAndFromEachFile() throws {
        let dir = try Self.sweep()
        let figure = try temporaryDirectory().appendingPathComponent("groups.svg").path
        #expect(try Self.packedCheckpoints(dir) == 4)
        let fromPack = try Self.outputs(dir, figure: figure)
        try FileManager.default.removeItem(atPath: WeightPack.path(in: dir))
        #expect(try Self.packedCheckpoints(dir) == 0)
        let fromFiles = try Self.outputs(dir, figure: figure)
        for (index, (packed, files)) in zip(fromPack, fromFiles).enumerated() { #expect(packed == files, "output \(index) differs") }
        // Real numbers: four models, each with batch norm, read-outs over 8 units, finite cosines.
        let ortho = try JSONSerialization.jsonObject(with: Data(fromPack[0].utf8)) as! [String: Any]
        let files = ortho["files"] as! [[String: Any]]
        #expect(files.count == 4 && (ortho["across"] as? [String: Any])?["count"] as? Int == 4)
        for file in files {
            let readout = (file["readouts"] as! [[String: Any]])[0]
            #expect((readout["units"] as! [Any]).count == 8)
            #expect(((readout["pairs"] as! [[String: Any]])[0]["abs_cosine"] as? Double).map { $0.isFinite && $0 <= 1 } == true)
        }
        let summary = try JSONSerialization.jsonObject(with: Data(fromPack[2].utf8)) as! [String: Any]
        #expect((summary["groups"] as! [[String: Any]]).map { $0["runs"] as? Int } == [2, 2])
        // The figure: each run's validation loss and accuracy faint, and each group's mean.
        #expect(fromPack[3].contains("Validation loss") && fromPack[3].components(separatedBy: "opacity=\"0.25\"").count - 1 == 8)
        // Rebuilt by `nnprobe pack`: read from the pack again.
        #expect(try runNNProbe(["pack", dir]).status == 0)
        #expect(try Self.packedCheckpoints(dir) == 4)
        #expect(try Self.outputs(dir, figure: figure) == fromFiles)
    }
}
