import Foundation
import Testing

/// `report` of a sweep reads as a researcher expects (issue 15, item 8): grouped by the swept
/// flags as `summary` groups them, with a group table, each group's own curves and norms (not
/// one mean over every learning rate, not the first 8 checkpoints alone), and a run table of
/// names without directories, numbers alike per column and right-aligned.
@Suite struct ReportCommandTests {
    /// The rows of the table in the page's section `heading`, as cell texts (headers first).
    static func table(_ html: String, section heading: String) -> [[String]] {
        guard let section = html.components(separatedBy: "<h2>\(heading)</h2>").dropFirst().first?.components(separatedBy: "</table>").first else { return [] }
        let cell = try! NSRegularExpression(pattern: "<t[hd][^>]*>(.*?)</t[hd]>")
        return section.components(separatedBy: "<tr>").dropFirst().map { row in
            cell.matches(in: row, range: NSRange(row.startIndex..., in: row)).map { String(row[Range($0.range(at: 1), in: row)!]) }
        }
    }

    @Test func aLearningRateSweepIsReportedPerLearningRate() throws {
        let dir = try temporaryDirectory()
        let sweep = dir.appendingPathComponent("lr").path
        let trained = try runNNProbe(["train", "mult", "--lr", "1,0.001", "--seeds", "0..2", "--epochs", "3", "--train-size", "300", "--save", sweep])
        #expect(trained.status == 0, "\(trained.stderr)")
        let page = dir.appendingPathComponent("page.html").path
        let result = try runNNProbe(["report", sweep, "--out", page])
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)

        // The group table: one row per learning rate, means over each group's seeds as the index has them.
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(sweep)/index.json"))) as! [String: Any]
        let runs = index["runs"] as! [[String: Any]]
        let groups = Self.table(html, section: "Groups")
        #expect(groups.first?.first == "lr" && groups.count == 3, "\(groups)")
        for row in groups.dropFirst() {
            let lr = Double(row[0])!
            let losses = runs.filter { ($0["parameters"] as! [String: Any])["lr"] as? Double == lr }.map { $0["final_val_loss"] as! Double }
            #expect(losses.count == 3 && row[1] == "3")
            let mean = losses.reduce(0, +) / 3
            // "first → mean ± std": the mean to the 4 significant digits shown.
            let shown = Double(row[3].components(separatedBy: "→ ")[1].components(separatedBy: " ±")[0])!
            #expect(abs(shown - mean) <= 5e-4 * abs(mean), "lr \(lr): table \(shown), index mean \(mean)")
        }

        // Curves and norms per group: the groups' labels, no mean over every learning rate.
        let curves = html.components(separatedBy: "<h2>Learning curves</h2>")[1].components(separatedBy: "</section>")[0]
        #expect(curves.contains(">lr=0.001</text>") && curves.contains(">lr=1</text>") && !curves.contains("(mean)"))
        let norms = html.components(separatedBy: "<h2>Weight norms</h2>")[1].components(separatedBy: "</section>")[0]
        #expect(norms.contains("mean ± std of 2 groups, 6 runs") && norms.contains(">lr=0.001</text>") && norms.contains(">lr=1</text>"))

        // The run table: run names without the directory, the swept value, numbers alike per
        // column (one number of decimals, or all scientific), right-aligned.
        let table = Self.table(html, section: "Runs")
        #expect(table.first == ["run", "lr", "seed", "status", "val loss", "val accuracy", "test loss", "test accuracy"])
        #expect(table.count == 7 && table.dropFirst().allSatisfy { !$0[0].contains("/") && $0[0].hasPrefix("h16-") })
        #expect(!html.components(separatedBy: "<h2>Runs</h2>")[1].contains(sweep))
        for column in 4..<8 {
            let cells = table.dropFirst().map { $0[column] }
            let shapes = Set(cells.map { $0.contains("e") ? "scientific" : "\($0.split(separator: ".").last?.count ?? 0) decimals" })
            #expect(shapes.count == 1, "\(table[0][column]): \(cells)")
        }
        let runSection = html.components(separatedBy: "<h2>Runs</h2>")[1].components(separatedBy: "</table>")[0]
        #expect(runSection.components(separatedBy: "<td class=\"num\">").count - 1 == 6 * 6, "lr, seed and four metrics right-aligned in 6 rows")
    }

    @Test func normsOfManyCheckpointsDrawEveryOne() throws {
        let dir = try temporaryDirectory()
        var files: [String] = []
        for seed in 0..<10 {
            let path = dir.appendingPathComponent("m\(seed).h5").path
            #expect(try runNNProbe(["train", "mult", "--epochs", "1", "--train-size", "200", "--seed", "\(seed)", "--no-dump", "--save", path]).status == 0)
            files.append(path)
        }
        let plot = dir.appendingPathComponent("norms.svg").path
        let result = try runNNProbe(["norms"] + files + ["--plot", plot])
        #expect(result.status == 0, "\(result.stderr)")
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.contains("mean ± std of 10 runs"), "the title says what is drawn")
        #expect(!svg.contains(">m0</text>"), "no bar per checkpoint (there used to be 8 of the 10)")
        // Every checkpoint a dot per layer: 10 × 2 dots in one path.
        let dots = svg.split(separator: "\n").first { $0.contains("fill=\"#222222\"") }.map { $0.components(separatedBy: "a1.6 1.6 0 1 0 3.2 0").count - 1 }
        #expect(dots == 20)
    }
}
