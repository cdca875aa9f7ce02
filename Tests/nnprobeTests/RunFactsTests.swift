import Foundation
import Testing
import NNCheckpoint

/// A sweep's index copies what the trainer recorded, for every kind of task: synthetic,
/// batch norm with a 1-row last batch, IDX files and CSV files.
@Suite struct RunFactsTests {
    private func idx(_ dims: [Int], _ bytes: [UInt8]) -> Data {
        var data = Data([0, 0, 0x08, UInt8(dims.count)])
        for d in dims { data += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return data + bytes
    }

    /// Small IDX and CSV data sets in `dir`.
    private func writeFiles(in dir: URL) throws {
        for (prefix, n) in [("train", 300), ("t10k", 50)] {
            try idx([n, 2, 2], (0..<(n * 4)).map { UInt8($0 * 7 % 256) }).write(to: dir.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try idx([n], (0..<n).map { UInt8($0 % 3) }).write(to: dir.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
        let rows = (0..<400).map { i in "\(Double(i % 17) / 17),\(Double(i % 5) / 5),\(i % 2)" }
        try ("a,b,label\n" + rows.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    }

    @Test func theIndexRecordsTheStepsTheTrainerTook() throws {
        let dir = try temporaryDirectory()
        try writeFiles(in: dir)
        let cases: [[String]] = [
            ["multi-mult", "--train-size", "300"],
            ["spirals", "--batch-norm", "--train-size", "257"],
            ["idx", "--data", dir.path],
            ["csv", "--data", dir.appendingPathComponent("d.csv").path],
        ]
        for (number, arguments) in cases.enumerated() {
            let settings = arguments + ["--epochs", "1", "--batch-size", "128"]
            let single = try runNNProbe(["train"] + settings + ["--json"])
            #expect(single.status == 0, "\(arguments): \(single.stderr)")
            let trained = try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as! [String: Any]
            let steps = try #require(trained["steps_per_epoch"] as? Int)
            #expect(steps > 0)
            let sweep = dir.appendingPathComponent("sweep-\(number)").path
            let result = try runNNProbe(["train"] + settings + ["--seeds", "0..1", "--save", sweep])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
            let runs = index["runs"] as! [[String: Any]]
            #expect(runs.map { $0["steps_per_epoch"] as? Int } == [steps, steps], "\(arguments): the trainer took \(steps) steps per epoch")
            // The training time is the one each checkpoint recorded, and survives a re-run that trains nothing.
            let timed = try runs.map { run in
                try Checkpoint.read(from: "\(sweep)/\(run["checkpoint"] as! String)").history.seconds
            }
            /// Equal up to the last digit JSONSerialization reads back.
            func same(_ a: [Double?], _ b: [Double?]) -> Bool { zip(a, b).allSatisfy { abs(($0 ?? .nan) - ($1 ?? .nan)) <= 1e-12 * ($1 ?? 1) } }
            #expect(timed.allSatisfy { ($0 ?? 0) > 0 } && same(runs.map { $0["seconds"] as? Double }, timed))
            #expect(try runNNProbe(["train"] + settings + ["--seeds", "0..1", "--save", sweep]).status == 0)
            let again = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
            #expect(same((again["runs"] as! [[String: Any]]).map { $0["seconds"] as? Double }, timed))
        }
    }
}
