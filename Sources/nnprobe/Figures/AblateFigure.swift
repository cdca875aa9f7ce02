import NNPlot

/// Causal unit tests: the first checkpoint's relative loss increase per unit and task (grouped
/// bars) with each unit's weight-based role marked above it; with --patch, how far each task's
/// outputs move per patched group; over several checkpoints, the units of each weight-based role
/// by causal role.
enum AblateFigure {
    static func make(_ report: AblateReport) -> Figure {
        var charts: [Chart] = []
        guard let file = report.files.first else { return Figure(charts) }
        let tasks = file.tasks, slot = 0.8 / Double(max(1, tasks.count))
        /// Bars per group (x = 0, 1, …), one colour per series, side by side.
        func grouped(_ values: [[Double]], labels: [String]) -> [Series] {
            labels.indices.map { s in
                .bars(label: labels[s], x: values.indices.map { Double($0) - 0.4 + slot * (Double(s) + 0.5) },
                      heights: values.map { $0[s] }, width: slot * 0.95, color: Palette.category(s))
            }
        }
        let roles = AblateReport.roleLabels(tasks: tasks)
        /// One colour per role, after the tasks' colours, in both panels that show roles.
        func colour(ofRole label: String) -> String { Palette.category(tasks.count + (roles.firstIndex(of: label) ?? roles.count)) }
        var effects = Chart(title: "Each unit of \(file.layer) ablated (\(report.mode.rawValue))",
                            xLabel: "unit of \(shortName(file.file))", yLabel: "relative loss increase (L′ − L) / L")
        effects.xCategories = file.units.map { "\($0.index)" }
        let increases = file.units.map { $0.relativeIncrease.map { $0.isFinite ? $0 : 0 } }
        effects.series = grouped(increases, labels: tasks)
        let highest = max(report.floor, increases.flatMap { $0 }.max() ?? 0)
        if file.readout != nil {
            // The weight-based role above each unit; the legend sits in the room above the marks.
            for label in roles {
                let marked = file.units.filter { $0.weights.map(AblateReport.label) == label }
                guard !marked.isEmpty else { continue }
                effects.series.append(.points(label: "weights: \(label)", x: marked.map { Double($0.index) },
                                              y: marked.map { _ in highest * 1.12 }, colors: [colour(ofRole: label)], radius: 4.5))
            }
        }
        effects.series.append(.rule(label: nil, value: report.floor, vertical: false, color: "#888"))
        effects.xDomain = -0.6...(Double(file.units.count) - 0.4)
        effects.yDomain = min(0, increases.flatMap { $0 }.min() ?? 0)...(highest * (file.readout == nil ? 1.1 : 1.9))
        charts.append(effects)
        if let patching = file.patching, !patching.patches.isEmpty {
            var moves = Chart(title: "Patched from another row (\(patching.pairs) pairs)", xLabel: "units or directions patched",
                              yLabel: "output movement / whole A−B difference")
            moves.xCategories = patching.patches.map { $0.label.replacingOccurrences(of: " units", with: "") }
            moves.series = grouped(patching.patches.map(\.taskRelativeChange), labels: tasks)
            moves.xDomain = -0.6...(Double(patching.patches.count) - 0.4)
            charts.append(moves)
        }
        if let confusion = report.across?.confusion {
            var table = Chart(title: "Unit roles over \(report.files.count) checkpoints", xLabel: "weight-based role",
                              yLabel: "units (bars: causal role)")
            table.xCategories = confusion.labels
            let width = 0.8 / Double(confusion.labels.count)
            table.series = confusion.labels.enumerated().map { c, label in
                .bars(label: "causal \(label)", x: confusion.labels.indices.map { Double($0) - 0.4 + width * (Double(c) + 0.5) },
                      heights: confusion.counts.map { Double($0[c]) }, width: width * 0.95, color: colour(ofRole: label))
            }
            table.xDomain = -0.6...(Double(confusion.labels.count) - 0.4)
            table.yDomain = 0...(Double(max(1, confusion.counts.joined().max() ?? 1)) * 1.5)   // room for the legend
            charts.append(table)
        }
        return Figure(charts, columns: min(2, charts.count))
    }
}
