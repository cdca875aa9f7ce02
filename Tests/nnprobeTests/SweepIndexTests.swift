import Foundation
import Testing

/// Sweep indexes that used to mislead: a slice with no runs writes nothing (no empty index),
/// `summary` of an index without runs says so instead of printing "0 runs of ,", and a moved
/// sweep still finds its checkpoints.
@Suite struct SweepIndexTests {
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

    /// The index names checkpoints relative to the sweep directory: a sweep saved with a relative
    /// path, then moved, summarises with its curves from anywhere (issue 15, item 4).
    @Test func aMovedSweepStillSummarises() throws {
        let root = try temporaryDirectory()
        let trained = try runNNProbe(["train", "mult", "--epochs", "1", "--train-size", "200", "--seeds", "0..1", "--save", "sweeps/mm"], in: root)
        #expect(trained.status == 0, "\(trained.stderr)")
        let moved = root.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: root.appendingPathComponent("sweeps/mm"), to: moved)
        let summary = try runNNProbe(["summary", moved.path, "--plot", root.appendingPathComponent("curves.svg").path])
        #expect(summary.status == 0 && summary.stdout.contains("2 runs of mult"), "\(summary.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("curves.svg").path))
    }
}
