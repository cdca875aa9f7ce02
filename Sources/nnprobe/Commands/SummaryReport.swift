import Foundation
import NNCheckpoint
import NNModel

/// The document `summary` prints (schema `nnprobe.summary/2`, see docs/json.md): a sweep's runs
/// grouped by the values of chosen swept flags, mean ± std over each group's seeds.
struct SummaryReport: Encodable {
    struct Group: Encodable {
        let parameters: SweepParameters
        let runs: Int
        let diverged: Int
        let stepsPerEpoch: Int
        let finalValLoss, finalValAccuracy, testLoss, testAccuracy: DistributionJSON
        let firstValLoss, deadUnits: DistributionJSON
        enum CodingKeys: String, CodingKey {
            case parameters, runs, diverged
            case firstValLoss = "first_val_loss", deadUnits = "dead_units"
            case stepsPerEpoch = "steps_per_epoch", finalValLoss = "final_val_loss", finalValAccuracy = "final_val_accuracy"
            case testLoss = "test_loss", testAccuracy = "test_accuracy"
        }
    }


    let schema = "nnprobe.summary/2"
    let directory: String
    let by: [String]
    let groups: [Group]
    /// The group with the lowest mean final validation loss.
    let best: SweepParameters?
    /// Each group's label (`lr=0.1 batch-size=16`) and runs, in the groups' order (for the figure).
    let members: [(label: String, runs: [SweepIndex.Entry])]

    enum CodingKeys: String, CodingKey { case schema, directory, by, groups, best }

    /// Groups `index`'s runs by their values of `keys`, groups ordered by those values (numerically where numbers).
    init(_ index: SweepIndex, directory: String, by keys: [String]) {
        var order: [[String]] = []
        var members: [[String]: [SweepIndex.Entry]] = [:]
        for run in index.runs {
            let key = keys.map { run.parameters[$0] ?? "" }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        order.sort(by: Self.valuesAscending)
        self.directory = directory
        self.by = keys
        runCount = index.runs.count
        task = index.task
        groups = order.map { key -> Group in
            let runs = members[key]!
            return Group(parameters: SweepParameters(Array(zip(keys, key))), runs: runs.count,
                         diverged: runs.filter { $0.status == RunStatus.diverged.rawValue }.count, stepsPerEpoch: runs[0].stepsPerEpoch,
                         finalValLoss: DistributionJSON(runs.map(\.finalValLoss)),
                         finalValAccuracy: DistributionJSON(runs.map(\.finalValAccuracy)),
                         testLoss: DistributionJSON(runs.map(\.testLoss)), testAccuracy: DistributionJSON(runs.map(\.testAccuracy)),
                         firstValLoss: DistributionJSON(runs.map(\.firstValLoss)), deadUnits: DistributionJSON(runs.map(\.deadUnits)))
        }
        best = groups.filter { $0.finalValLoss.mean.isFinite }.min { $0.finalValLoss.mean < $1.finalValLoss.mean }?.parameters
        self.members = order.map { key in
            (keys.isEmpty ? "all runs" : zip(keys, key).map { "\($0)=\($1)" }.joined(separator: " "), members[key]!)
        }
    }

    private let runCount: Int
    private let task: String

    /// The group table's header, as `summary` prints it and `report` shows it.
    var tableHeaders: [String] {
        by + ["runs", "steps/epoch", "val loss (epoch 1 → last)", "val accuracy", "test loss", "test accuracy", "dead units", "diverged"]
    }

    /// The group table's rows, one per group.
    var tableRows: [[String]] {
        groups.map { g in
            by.map { g.parameters[$0]! } + [String(g.runs), String(g.stepsPerEpoch),
                "\(formatNumber(g.firstValLoss.mean)) → \(pm(g.finalValLoss))", pm(g.finalValAccuracy), pm(g.testLoss),
                pm(g.testAccuracy), formatNumber(g.deadUnits.mean * 100, digits: 3) + "%", String(g.diverged)]
        }
    }

    /// `summary`'s first line: the directory, how many runs of which task.
    var headline: String { "\(directory): \(runCount) runs of \(task), mean ± std over seeds" }

    /// The best group as `lr=0.01 batch-size=16` (nil without grouping).
    var bestLabel: String? {
        guard let best, !by.isEmpty else { return nil }
        return by.map { "\($0)=\(best[$0]!)" }.joined(separator: " ")
    }

    /// The table, as `summary` prints it.
    func text() -> String {
        var table = TextTable(tableHeaders)
        for row in tableRows { table.add(row) }
        var lines = [headline, table.render()]
        if let bestLabel { lines.append("best (lowest mean validation loss): " + bestLabel) }
        return lines.joined(separator: "\n")
    }

    /// Compares two groups' values key by key: numerically where both are numbers.
    static func valuesAscending(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if let p = Double(x), let q = Double(y) { return p < q }
            return x < y
        }
        return false
    }

    private func pm(_ d: DistributionJSON) -> String {
        d.count > 1 ? "\(formatNumber(d.mean)) ± \(formatNumber(d.std))" : formatNumber(d.mean)
    }
}

extension SweepIndex {
    /// The index of the sweep in `directory`; errors name the file.
    static func read(directory: String) throws -> SweepIndex {
        let path = "\(directory)/index.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): no such file (is \(directory) a sweep directory written by `nnprobe train --seeds …`?)")
        }
        let index: SweepIndex
        do { index = try JSONDecoder().decode(SweepIndex.self, from: data) } catch {
            throw CommandFailure("\(path): not a sweep index (\(error.localizedDescription))")
        }
        guard !index.runs.isEmpty else { throw CommandFailure("\(path): lists no runs (has the sweep trained any yet?)") }
        return index
    }
}
