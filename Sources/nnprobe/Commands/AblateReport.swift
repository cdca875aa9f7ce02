import Foundation
import NNAnalysis
import NNModelAnalyses

/// The document `ablate` prints (schema `nnprobe.ablate/1`, see docs/json.md).
struct AblateReport: Encodable {
    struct Role: Encodable {
        let kind: ReadoutGeometry.UnitKind
        /// The task of a mono-functional unit.
        let task: String?
        let shares: [Double]

        init(_ role: UnitRole) {
            kind = role.kind
            task = role.task
            shares = role.shares
        }
    }

    struct Unit: Encodable {
        let index: Int
        let losses: [Double]
        let relativeIncrease: [Double]
        let causal: Role
        let weights: Role?
        let agrees: Bool?
        enum CodingKeys: String, CodingKey { case index, losses, causal, weights, agrees; case relativeIncrease = "relative_increase" }
    }

    /// An ablation of a unit set or a subspace as a whole.
    struct Group: Encodable {
        let label: String
        /// The units, for a unit set.
        let units: [Int]?
        /// The directions (k × C), for a subspace.
        let directions: [[Double]]?
        let losses: [Double]
        let relativeIncrease: [Double]
        enum CodingKeys: String, CodingKey { case label, units, directions, losses; case relativeIncrease = "relative_increase" }

        init(label: String, target: UnitAblation.Target, losses: [Double], relativeIncrease: [Double]) {
            self.label = label
            switch target {
            case .units(let u): (units, directions) = (u, nil)
            case .subspace(let basis): (units, directions) = (nil, (0..<basis.rows).map(basis.row))
            }
            self.losses = losses
            self.relativeIncrease = relativeIncrease
        }
    }

    struct Patch: Encodable {
        let label: String
        let units: [Int]?
        let dimensions: Int?
        let rmsChange: [Double]
        let relativeChange: [Double]
        let taskRelativeChange: [Double]
        enum CodingKeys: String, CodingKey {
            case label, units, dimensions
            case rmsChange = "rms_change", relativeChange = "relative_change", taskRelativeChange = "task_relative_change"
        }
    }

    struct Patching: Encodable {
        let pairs: Int
        let rmsDifference: [Double]
        let patches: [Patch]
        enum CodingKeys: String, CodingKey { case pairs, patches; case rmsDifference = "rms_difference" }
    }

    struct Agreement: Encodable {
        let agree: Int
        let compared: Int
        let share: Double
    }

    struct File: Encodable, Sendable {
        let file: String
        let layer: String
        let width: Int
        let rows: String
        let nSamples: Int
        let tasks: [String]
        let baseLosses: [Double]
        /// The read-out whose weights give `weights` roles.
        let readout: String?
        let units: [Unit]
        let groups: [Group]
        /// Units of each causal role (`mono task0`, …, `shared`, `dead`), and of each weight-based one.
        let causalCounts: [String: Int]
        let weightCounts: [String: Int]?
        let agreement: Agreement?
        let patching: Patching?

        enum CodingKeys: String, CodingKey {
            case file, layer, width, rows, tasks, readout, units, groups, agreement, patching
            case nSamples = "n_samples", baseLosses = "base_losses", causalCounts = "causal_counts", weightCounts = "weight_counts"
        }

        init(file: String, _ a: CausalUnitAnalysis) {
            self.file = file
            layer = a.layer
            width = a.width
            rows = a.rowsDescription
            nSamples = a.rowCount
            tasks = a.tasks
            baseLosses = a.baseLosses
            readout = a.readout
            units = a.units.map { Unit(index: $0.index, losses: $0.losses, relativeIncrease: $0.relativeIncrease,
                                       causal: Role($0.causal), weights: $0.weights.map(Role.init), agrees: $0.agrees) }
            groups = a.groups.map { Group(label: $0.label, target: $0.target, losses: $0.losses, relativeIncrease: $0.relativeIncrease) }
            let labels = AblateReport.roleLabels(tasks: a.tasks)
            causalCounts = Dictionary(uniqueKeysWithValues: labels.map { label in (label, a.units.filter { $0.causal.label == label }.count) })
            weightCounts = a.readout == nil ? nil
                : Dictionary(uniqueKeysWithValues: labels.map { label in (label, a.units.filter { $0.weights?.label == label }.count) })
            agreement = a.agreement.map { Agreement(agree: $0.agree, compared: $0.compared, share: Double($0.agree) / Double($0.compared)) }
            patching = a.patching.map { p in
                Patching(pairs: p.pairs, rmsDifference: p.rmsDifference, patches: p.patches.map { patch in
                    let (units, dimensions): ([Int]?, Int?) = switch patch.target {
                    case .units(let u): (u, nil)
                    case .subspace(let basis): (nil, basis.rows)
                    }
                    return Patch(label: patch.label, units: units, dimensions: dimensions, rmsChange: patch.rmsChange,
                                 relativeChange: patch.relativeChange, taskRelativeChange: patch.taskRelativeChange)
                })
            }
        }
    }

    /// Over several checkpoints: how often the two judgements agree, how unit roles move between
    /// them, and what the unit sets and subspaces (ablated and patched) do.
    struct Across: Encodable {
        let count: Int
        let agreementShare: DistributionJSON?
        let causalCounts: NamedDistributions
        let weightCounts: NamedDistributions?
        /// Units of every checkpoint by weight-based role (`rows`) and causal role (`columns`), both in `labels` order.
        let confusion: Confusion?
        /// Per group label: each task's relative loss increase over the checkpoints that have it.
        let groups: [Summary]?
        /// Per patch label: each task's relative output movement over the checkpoints that have it.
        let patches: [Summary]?
        enum CodingKeys: String, CodingKey {
            case count, confusion, groups, patches
            case agreementShare = "agreement_share", causalCounts = "causal_counts", weightCounts = "weight_counts"
        }
    }

    /// One label's values across checkpoints, per task.
    struct Summary: Encodable {
        let label: String
        let count: Int
        let perTask: NamedDistributions
        enum CodingKeys: String, CodingKey { case label, count; case perTask = "per_task" }

        /// The summaries of `items` (label, each task's value) over `files`, labels in first-seen order.
        static func of(_ files: [File], _ items: (File) -> [(label: String, values: [Double])]) -> [Summary]? {
            var order: [String] = [], seen: [String: [(tasks: [String], values: [Double])]] = [:]
            for file in files {
                for (label, values) in items(file) {
                    if seen[label] == nil { order.append(label) }
                    seen[label, default: []].append((file.tasks, values))
                }
            }
            guard !order.isEmpty else { return nil }
            return order.map { label in
                let entries = seen[label]!
                let samples = entries.flatMap { entry in zip(entry.tasks, entry.values).map { (key: $0, value: $1) } }
                return Summary(label: label, count: entries.count,
                               perTask: NamedDistributions(entries: distributions(samples.filter { $0.value.isFinite })))
            }
        }
    }

    struct Confusion: Encodable {
        let labels: [String]
        let counts: [[Int]]
    }

    let schema = "nnprobe.ablate/1"
    let mode: UnitAblation.Mode
    let threshold: Double
    let floor: Double
    let files: [File]
    let errors: [FileError]?
    let across: Across?

    /// Role labels in table order: `mono TASK` per task, then `shared`, `dead`.
    static func roleLabels(tasks: [String]) -> [String] { tasks.map { "mono \($0)" } + ["shared", "dead"] }

    init(files: [File], errors: [FileError] = [], settings: CausalUnitAnalysis.Settings) {
        self.files = files
        self.errors = errors.isEmpty ? nil : errors
        mode = settings.mode
        threshold = settings.threshold
        floor = settings.floor
        guard files.count > 1 else { across = nil; return }
        // Labels in first-seen order over the files (a sweep's files share their tasks).
        var labels: [String] = []
        for file in files { for label in Self.roleLabels(tasks: file.tasks) where !labels.contains(label) { labels.append(label) } }
        let shares = files.compactMap { $0.agreement?.share }
        let compared = files.filter { $0.weightCounts != nil }
        var confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
        for file in compared {
            for unit in file.units {
                guard let weights = unit.weights, let row = labels.firstIndex(of: Self.label(weights)),
                      let column = labels.firstIndex(of: Self.label(unit.causal)) else { continue }
                confusion[row][column] += 1
            }
        }
        across = Across(
            count: files.count, agreementShare: shares.isEmpty ? nil : DistributionJSON(shares),
            causalCounts: NamedDistributions(entries: labels.map { label in
                (label, DistributionJSON(files.map { Double($0.causalCounts[label] ?? 0) })) }),
            weightCounts: compared.isEmpty ? nil : NamedDistributions(entries: labels.map { label in
                (label, DistributionJSON(compared.map { Double($0.weightCounts?[label] ?? 0) })) }),
            confusion: compared.isEmpty ? nil : Confusion(labels: labels, counts: confusion),
            groups: Summary.of(files) { $0.groups.map { ($0.label, $0.relativeIncrease) } },
            patches: Summary.of(files) { $0.patching?.patches.map { ($0.label, $0.taskRelativeChange) } ?? [] })
    }

    static func label(_ role: Role) -> String { role.task.map { "mono \($0)" } ?? role.kind.rawValue }

    /// A relative increase as a signed percentage.
    static func percent(_ r: Double) -> String {
        r.isFinite ? (r >= 0 ? "+" : "") + formatNumber(r * 100, digits: 3) + "%" : formatNumber(r)
    }

    func text() -> String {
        var lines: [String] = []
        if files.count <= 5 {
            for file in files {
                lines.append("\(file.file): \(file.layer) (\(file.width) units), \(mode.rawValue)-ablated on the \(file.rows) (\(file.nSamples) rows)")
                lines.append("  loss without ablation: " + zip(file.tasks, file.baseLosses).map { "\($0) \(formatNumber($1))" }.joined(separator: ", "))
                var table = TextTable(["unit"] + file.tasks.map { "Δ\($0)" } + ["causal"] + (file.readout == nil ? [] : ["weights (\(file.readout!))", "agree"]))
                for unit in file.units {
                    table.add(["\(unit.index)"] + unit.relativeIncrease.map(Self.percent) + [Self.label(unit.causal)]
                              + (unit.weights.map { [Self.label($0), unit.agrees! ? "yes" : "no"] } ?? []))
                }
                for group in file.groups {
                    table.add([group.label] + group.relativeIncrease.map(Self.percent) + [""])
                }
                lines += table.render().split(separator: "\n").map { "  " + $0 }
                let counts = Self.roleLabels(tasks: file.tasks)
                lines.append("  causal: " + counts.map { "\($0) \(file.causalCounts[$0]!)" }.joined(separator: ", "))
                if let weights = file.weightCounts, let agreement = file.agreement {
                    lines.append("  weights: " + counts.map { "\($0) \(weights[$0]!)" }.joined(separator: ", "))
                    lines.append("  agree on \(agreement.agree) of \(agreement.compared) units")
                }
                if let patching = file.patching {
                    lines.append("  patching (\(patching.pairs) pairs): each task's output movement over its whole A−B difference")
                    var table = TextTable(["patched"] + file.tasks)
                    for patch in patching.patches { table.add([patch.label] + patch.taskRelativeChange.map { formatNumber($0, digits: 3) }) }
                    lines += table.render().split(separator: "\n").map { "    " + $0 }
                }
            }
        } else {
            let labels = files.first.map { Self.roleLabels(tasks: $0.tasks) } ?? []
            var table = TextTable(["file", "layer"] + labels + ["agree"])
            for file in files {
                table.add([file.file, file.layer] + labels.map { "\(file.causalCounts[$0] ?? 0)" }
                          + [file.agreement.map { "\($0.agree)/\($0.compared)" } ?? "-"])
            }
            lines.append("causal unit roles per checkpoint (\(mode.rawValue)-ablation):")
            lines.append(table.render())
        }
        if let across {
            lines.append("")
            lines.append("across \(across.count) checkpoints:")
            for (label, d) in across.causalCounts.entries { lines.append("  causal \(label): \(d.text) units") }
            if let weights = across.weightCounts { for (label, d) in weights.entries { lines.append("  weights \(label): \(d.text) units") } }
            if let share = across.agreementShare { lines.append("  agreement share: \(share.text), median \(formatNumber(share.median))") }
            let sections: [(String, [Summary]?, (Double) -> String)] = [
                ("ablated as a whole: each task's relative loss increase", across.groups, { Self.percent($0) }),
                ("patched: each task's output movement over its whole A−B difference", across.patches, { formatNumber($0, digits: 3) }),
            ]
            for (title, summaries, format) in sections {
                guard let summaries else { continue }
                lines.append("  \(title), median [q25, q75] over checkpoints:")
                for summary in summaries {
                    lines.append("    \(summary.label) (\(summary.count)): " + summary.perTask.entries.map { task, d in
                        "\(task) \(format(d.median)) [\(format(d.q25)), \(format(d.q75))]"
                    }.joined(separator: ", "))
                }
            }
            if let confusion = across.confusion {
                lines.append("  units by weight-based role (rows) and causal role (columns):")
                var table = TextTable(["weights \\ causal"] + confusion.labels)
                for (label, row) in zip(confusion.labels, confusion.counts) { table.add([label] + row.map(String.init)) }
                lines += table.render().split(separator: "\n").map { "    " + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }
}
