import Foundation
import NNCheckpoint

/// The runs of a `report` grouped as `summary` groups a sweep — by the sweep's swept flags other
/// than the seed, from `DIR/index.json` — when the report is of one sweep directory; otherwise
/// (or without an index) one group of every run.
struct ReportGroups {
    /// The group table (`summary`'s), for a sweep directory.
    let summary: SummaryReport?
    /// Each group's label (`lr=0.01`) and runs, in `summary`'s order.
    let groups: [(label: String, runs: [Report.Run])]
    /// The swept flags other than the seed: columns of the run table.
    let keys: [String]
    /// Each run's swept values from the index, keyed by checkpoint path.
    let parameters: [String: SweepParameters]

    init(_ runs: [Report.Run], inputs: [String]) {
        var isDirectory: ObjCBool = false
        guard inputs.count == 1, FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory), isDirectory.boolValue,
              let index = try? SweepIndex.read(directory: inputs[0]) else {
            summary = nil
            groups = [(runs.count == 1 ? "run" : "all \(runs.count) runs", runs)]
            keys = []
            parameters = [:]
            return
        }
        let directory = inputs[0]
        keys = index.axes.filter { $0 != "seed" }
        let summary = SummaryReport(index, directory: directory, by: keys)
        self.summary = summary
        let byFile = Dictionary(runs.map { (Self.fileName($0.path), $0) }, uniquingKeysWith: { first, _ in first })
        var grouped: [(label: String, runs: [Report.Run])] = []
        var placed = Set<String>(), parameters: [String: SweepParameters] = [:]
        for member in summary.members {
            let members = member.runs.compactMap { entry -> Report.Run? in
                guard let run = byFile[Self.fileName(entry.checkpoint)] else { return nil }   // unreadable: named on stderr
                placed.insert(run.path)
                parameters[run.path] = entry.parameters
                return run
            }
            if !members.isEmpty { grouped.append((member.label, members)) }
        }
        let unlisted = runs.filter { !placed.contains($0.path) }
        if !unlisted.isEmpty { grouped.append(("not in index.json", unlisted)) }
        groups = grouped
        self.parameters = parameters
    }

    private static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// The runs in group order.
    var runs: [Report.Run] { groups.flatMap(\.runs) }
}
