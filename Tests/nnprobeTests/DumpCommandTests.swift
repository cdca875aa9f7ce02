import Foundation
import NNCheckpoint
import Testing

/// Activation dumps at the command line: an MLP's dump is byte for byte what nnprobe wrote before
/// conv nets' dumps existed; a conv net's `train --save` and `dump` write format 2, which `inspect`,
/// `pca` and `similarity` read through the blocks' pooled channels.
@Suite struct DumpCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `dump` of the fuzz corpus's MLP checkpoint (copied as `ck.h5`) on the test split and on a
    /// probe grid gives the committed files of Fixtures/mlp-dumps, written by the c5bf30a build.
    @Test func mlpDumpsAreByteIdenticalToBeforeConvDumps() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.copyItem(at: DamagedFileCLITests.fixture("fuzz/checkpoint.h5"), to: dir.appendingPathComponent("ck.h5"))
        let reproducible = ["SOURCE_DATE_EPOCH": "1700000000"]
        for (name, flags) in [("checkpoint.acts-test.h5", [String]()), ("checkpoint.acts-task1.h5", ["--vary", "task1", "--grid", "3", "--contexts", "2"])] {
            let result = try runNNProbe(["dump", "ck.h5", "--out", name] + flags, in: dir, environment: reproducible)
            #expect(result.status == 0, "\(result.stderr)")
            let written = try Data(contentsOf: dir.appendingPathComponent(name))
            #expect(written == (try Data(contentsOf: Self.fixtures.appendingPathComponent("mlp-dumps/\(name)"))), "\(name) differs")
        }
    }

    /// A small CNN on Fashion-MNIST: `train --save` writes its test dump as format 2 with 4-D maps
    /// of the first --dump-rows rows; `dump` rewrites it with other rows kept; the analyses read it.
    @Test func convNetDumpsAreWrittenAndAnalysed() throws {
        let dir = try temporaryDirectory()
        let train = try runNNProbe(["train", "fashion-mnist", "--arch", "cnn", "--channels", "4", "--fc", "8", "--train-size", "200",
                                    "--val-size", "50", "--test-size", "60", "--epochs", "1", "--dump-rows", "7", "--save", "cnn.h5"], in: dir)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("wrote cnn.acts-test.h5"))
        let reader = try ActivationDumpReader(path: dir.appendingPathComponent("cnn.acts-test.h5").path)
        #expect(reader.formatVersion == 2 && reader.rowCount == 60 && reader.mapRowCount == 7 && reader.layerCount == 3)
        #expect(try reader.shape(ofLayer: 0) == .init(channels: 4, height: 14, width: 14))
        #expect(try reader.width(ofLayer: 0) == 4 && reader.width(ofLayer: 1) == 8 && reader.width(ofLayer: 2) == 10)

        let dump = try runNNProbe(["dump", "cnn.h5", "--dump-rows", "0", "--out", "pooled.h5", "--json"], in: dir)
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(try ActivationDumpReader(path: dir.appendingPathComponent("pooled.h5").path).mapRowCount == 0)

        let inspect = try runNNProbe(["inspect", "cnn.acts-test.h5", "--json"], in: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(json["layer_shapes"] as? [[Int]] == [[4, 14, 14], [8, 1, 1], [10, 1, 1]] && json["n_map_rows"] as? Int == 7)

        let pca = try runNNProbe(["pca", "cnn.acts-test.h5", "--layer", "0", "--json"], in: dir)
        #expect(pca.status == 0, "\(pca.stderr)")
        let layers = try #require((try JSONSerialization.jsonObject(with: Data(pca.stdout.utf8)) as? [String: Any])?["layers"] as? [[String: Any]])
        #expect((layers.first?["components"] as? [[Double]])?.first?.count == 4, "PCA of the 4 pooled channels")
        let similarity = try runNNProbe(["similarity", "cnn.acts-test.h5", "pooled.h5", "--measure", "cka", "--json"], in: dir)
        #expect(similarity.status == 0, "\(similarity.stderr)")

        // One clean line for a layer past the dump's.
        let past = try runNNProbe(["pca", "cnn.acts-test.h5", "--layer", "3"], in: dir)
        #expect(past.status == 1 && past.stderr.split(separator: "\n").count == 1, "\(past.stderr)")
    }
}
