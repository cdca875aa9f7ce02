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

    /// Numbers as numbers in the index (`"lr": 0.01`, not `"0.01"`), an index written before that
    /// still summarises, and each per-file entry of `svd`/`ortho` names its run and seed, so
    /// analyses join the index by name (issue 15, item 14).
    @Test func theIndexStoresNumbersAndAnalysesNameTheirRuns() throws {
        let dir = try temporaryDirectory().appendingPathComponent("sweep")
        let trained = try runNNProbe(["train", "mult", "--epochs", "1", "--train-size", "200", "--seeds", "3..4",
                                      "--lr", "0.01,0.001", "--save", dir.path])
        #expect(trained.status == 0, "\(trained.stderr)")
        let indexText = try String(contentsOf: dir.appendingPathComponent("index.json"), encoding: .utf8)
        let index = try JSONSerialization.jsonObject(with: Data(indexText.utf8)) as! [String: Any]
        #expect(index["schema"] as? String == "nnprobe.sweep/2")
        let runs = index["runs"] as! [[String: Any]]
        let parameters = runs.map { $0["parameters"] as! [String: Any] }
        #expect(parameters.allSatisfy { $0["lr"] is NSNumber && $0["seed"] is NSNumber }, "\(parameters)")
        #expect(Set(parameters.map { $0["lr"] as! Double }) == [0.01, 0.001])
        #expect(indexText.contains(#""lr" : 0.001"#) && !indexText.contains(#""lr" : "0.001""#))

        // Each per-file entry of svd and ortho names the run (as the index does) and its seed.
        let seedOf = Dictionary(uniqueKeysWithValues: runs.map { ($0["name"] as! String, $0["seed"] as! Int) })
        for command in ["svd", "ortho"] {
            let result = try runNNProbe([command, dir.path, "--json"])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            let files = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any])["files"] as! [[String: Any]]
            #expect(files.count == 4)
            for file in files {
                let run = file["run"] as? String ?? "(none)"
                #expect(seedOf[run] != nil && file["seed"] as? Int == seedOf[run], "\(command): \(run) seed \(String(describing: file["seed"]))")
            }
        }

        // An index of the first version (every parameter as text) still summarises, grouped as before.
        let old = indexText.replacingOccurrences(of: #""lr" : ([0-9.e-]+)"#, with: #""lr" : "$1""#, options: .regularExpression)
            .replacingOccurrences(of: #""seed" : ([0-9]+),\n(\s*)\}"#, with: "\"seed\" : \"$1\",\n$2}", options: .regularExpression)
            .replacingOccurrences(of: "nnprobe.sweep/2", with: "nnprobe.sweep/1")
        #expect(old.contains(#""lr" : "0.001""#))
        try old.write(to: dir.appendingPathComponent("index.json"), atomically: true, encoding: .utf8)
        let summary = try runNNProbe(["summary", dir.path, "--json"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let groups = (try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as! [String: Any])["groups"] as! [[String: Any]]
        #expect(groups.map { ($0["parameters"] as! [String: Any])["lr"] as? Double } == [0.001, 0.01])
        #expect(groups.map { $0["runs"] as? Int } == [2, 2])
    }
}
