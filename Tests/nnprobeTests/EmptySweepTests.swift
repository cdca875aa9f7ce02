import Foundation
import Testing

/// A sweep slice with no runs writes nothing (no empty index to mislead `summary`), and `summary`
/// of an index without runs says so instead of printing "0 runs of ,".
@Suite struct EmptySweepTests {
    @Test func aShardWithNoRunsLeavesTheDirectoryAlone() throws {
        let dir = try temporaryDirectory().appendingPathComponent("sweep")
        let result = try runNNProbe(["train", "mult", "--epochs", "1", "--seeds", "0..1", "--shard", "3/4", "--save", dir.path])
        #expect(result.status == 0 && result.stdout.contains("shard 3/4: no runs (the sweep has 2)"), "\(result.stdout)\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }

    @Test func summaryOfAnIndexWithoutRunsIsAnError() throws {
        let dir = try temporaryDirectory()
        try #"{"schema":"nnprobe.sweep/1","task":"mult","axes":["seed"],"runs":[]}"#
            .write(to: dir.appendingPathComponent("index.json"), atomically: true, encoding: .utf8)
        let result = try runNNProbe(["summary", dir.path])
        #expect(result.status == 1 && result.stderr.contains("index.json: lists no runs"), "\(result.stderr)")
    }
}
