import Foundation
import Testing

/// Issue 16, part 5: the same command on the same input prints the same bytes and writes the
/// same files. Everything runs twice, in two fresh directories with the same relative paths
/// (so printed paths agree), and each pair of outputs is compared byte for byte. Swift seeds
/// its hashing per process, so a result summed over a Dictionary's values (as `pca --vary`'s
/// leakage once was) differs between the two processes in its last digits.
@Suite struct DeterminismTests {
    /// Wall-clock timings (train's and the sweep's `seconds`, regions' `exact_seconds`,
    /// `grid_seconds` and `regions_per_second`) are the only values allowed to differ.
    static func maskingTimes(_ text: String) -> String {
        text.replacingOccurrences(of: #""([a-z_]*seconds|regions_per_second)" : [0-9.eE+-]+"#, with: #""$1" : _"#,
                                  options: .regularExpression)
    }

    /// `SOURCE_DATE_EPOCH` fixes the creation time written into checkpoints and dumps.
    static let environment = ["SOURCE_DATE_EPOCH": "1700000000"]
    static let tiny = ["--epochs", "1", "--train-size", "256", "--val-size", "64", "--test-size", "64"]

    @Test func everySubcommandPrintsAndWritesTheSameBytesTwice() throws {
        let dirs = [try temporaryDirectory(), try temporaryDirectory()]
        var checked = 0
        /// Runs `arguments` in both directories; expects success and the same stdout.
        @discardableResult
        func twice(_ arguments: [String], mask: (String) -> String = { $0 }) throws -> String {
            let results = try dirs.map { try runNNProbe(arguments, in: $0, environment: Self.environment) }
            for r in results { #expect(r.status == 0, "\(arguments): \(r.stderr)") }
            let (a, b) = (mask(results[0].stdout), mask(results[1].stdout))
            #expect(!a.isEmpty, "\(arguments) printed nothing")
            #expect(a == b, "\(arguments) printed different bytes:\n\(firstDifference(a, b))")
            checked += 1
            return a
        }
        /// The file both runs wrote at `name` holds the same bytes.
        func sameFile(_ name: String) throws {
            let (a, b) = (try Data(contentsOf: dirs[0].appendingPathComponent(name)), try Data(contentsOf: dirs[1].appendingPathComponent(name)))
            #expect(!a.isEmpty && a == b, "\(name) differs between the two runs")
        }

        // Two tiny checkpoints: multi-mult (sub-tasks, for pca --vary and ortho) and spirals (2-D, for regions).
        try twice(["train", "multi-mult", "--hidden", "8"] + Self.tiny + ["--save", "mm.h5", "--no-dump", "--json"], mask: Self.maskingTimes)
        try twice(["train", "spirals", "--hidden", "8,8"] + Self.tiny + ["--save", "sp.h5", "--no-dump", "--json", "--plot", "train.svg"],
                  mask: Self.maskingTimes)
        try twice(["train", "multi-mult", "--hidden", "8"] + Self.tiny + ["--seeds", "0..1", "--save", "sweep", "--json"],
                  mask: Self.maskingTimes)
        // Four classes, trained until all four own territory: the decision boundary has several class pairs.
        try twice(["train", "blobs", "--classes", "4", "--hidden", "16,16", "--lr", "0.01", "--epochs", "5", "--train-size", "512",
                   "--val-size", "64", "--test-size", "64", "--save", "blobs.h5", "--no-dump", "--json"], mask: Self.maskingTimes)
        for file in ["mm.h5", "sp.h5", "blobs.h5", "train.svg"] { try sameFile(file) }

        for command in ["inspect", "svd", "norms", "grads"] {
            try twice([command, "mm.h5", "sp.h5", "--json"])
        }
        try twice(["ortho", "mm.h5", "--json", "--plot", "ortho.svg"])
        try twice(["pca", "mm.h5", "--vary", "task0", "--json"])
        // Leakage averaged over a Dictionary's values differed in its last digit in about half of
        // the runs with 20 held contexts; eight more runs make a miss unlikely (< 3%) if it returns.
        let leakage = try twice(["pca", "mm.h5", "--vary", "task0", "--contexts", "20", "--json"])
        for _ in 0..<8 {
            let again = try runNNProbe(["pca", "mm.h5", "--vary", "task0", "--contexts", "20", "--json"], in: dirs[0])
            #expect(again.stdout == leakage, "pca --vary task0 printed different bytes:\n\(firstDifference(leakage, again.stdout))")
        }
        try twice(["pca", "mm.h5", "--vary", "task0"])   // the table too
        try twice(["pca", "mm.h5", "--vary", "task1", "--json", "--plot", "pca.svg"])
        try twice(["pca", "mm.h5", "--vary", "all", "--json"])
        try twice(["svd", "sp.h5", "--json", "--plot", "svd.svg"])
        try twice(["dump", "mm.h5", "--vary", "task0", "--out", "acts.h5", "--json"])
        try twice(["pca", "acts.h5", "--vary", "task0", "--json"])
        try twice(["predict", "mm.h5", "--inputs", "acts.h5", "--out", "predictions.h5", "--json"])   // the dump's /inputs
        try twice(["import", analysisFixture("mlp_f32.safetensors"), "--out", "imported.h5", "--json"])
        try twice(["regions", "sp.h5", "--polygons", "--json", "--plot", "regions.svg"], mask: Self.maskingTimes)
        // Was the boundary's segment order (and so its summed length), from iterating a Set of class labels.
        try twice(["regions", "blobs.h5", "--polygons", "--json"], mask: Self.maskingTimes)
        try twice(["summary", "sweep", "--json", "--plot", "summary.svg"])
        try twice(["rank", "sweep", "--json"])
        try twice(["rank", "seeds=sweep"])   // the table
        try twice(["similarity", "sweep", "--json", "--plot", "similarity.svg"])
        try twice(["similarity", "mm.h5"])   // the table of one net's layers
        try twice(["probe", "blobs.h5", "--baseline", "all", "--json", "--plot", "probe.svg"])
        try twice(["probe", "mm.h5", "--baseline", "all"])   // ridge and regression trees, the table
        try twice(["ablate", "sweep", "--patch", "--top-k", "2", "--json", "--plot", "ablate.svg"])
        for file in ["ortho.svg", "pca.svg", "svd.svg", "acts.h5", "predictions.h5", "imported.h5", "regions.svg", "summary.svg", "similarity.svg",
                     "probe.svg", "ablate.svg"] {
            try sameFile(file)
        }

        for dir in dirs {
            let r = try runNNProbe(["report", "mm.h5", "sp.h5", "--out", "report.html"], in: dir, environment: Self.environment)
            #expect(r.status == 0, "report: \(r.stderr)")
        }
        try sameFile("report.html")
        #expect(checked == 29)
    }

    /// The first differing line of two texts, for a readable failure.
    func firstDifference(_ a: String, _ b: String) -> String {
        let (x, y) = (a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false))
        for i in 0..<max(x.count, y.count) where i >= x.count || i >= y.count || x[i] != y[i] {
            return "line \(i + 1):\n  first:  \(i < x.count ? String(x[i]) : "<end>")\n  second: \(i < y.count ? String(y[i]) : "<end>")"
        }
        return "(same lines)"
    }
}
