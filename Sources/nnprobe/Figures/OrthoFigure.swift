import NNAnalysis
import NNPlot

/// Read-out orthogonality: the |cos| histogram across checkpoints with the ±band shaded, and
/// the first checkpoint's per-unit attribution to the first two tasks.
enum OrthoFigure {
    static func make(_ report: OrthoReport) -> Figure {
        var charts: [Chart] = []
        let values = OrthoReport.primaryAbsCosines(report.files)
        var cosines = Chart(title: "|cos| between task read-outs (\(values.count) checkpoint\(values.count == 1 ? "" : "s"))",
                              xLabel: "|cos|", yLabel: "checkpoints")
        let bins = report.across?.histogramCounts ?? histogram(values, bins: 20)
        let width = 1 / Double(bins.count)
        cosines.series = [
            .band(label: "within ±\(report.band)", from: 0, to: report.band, color: Palette.category(2), opacity: 0.2),
            .bars(label: nil, x: bins.indices.map { (Double($0) + 0.5) * width }, heights: bins.map(Double.init), width: width * 0.95, color: Palette.category(0)),
        ]
        cosines.xDomain = 0...max(0.25, (values.max() ?? 0) + width)
        charts.append(cosines)
        if let readout = report.files.first?.readouts.last, readout.tasks.count >= 2 {
            // The file's name cut short, so the two panels' titles do not run into each other.
            let whose = report.files[0].readouts.count > 1 ? "\(readout.source), " : ""
            var scatter = Chart(title: "Unit attribution (\(whose)\(shortTitle(report.files[0].file, limit: 24)))",
                                xLabel: "|w| · std(h) to \(readout.tasks[0])", yLabel: "|w| · std(h) to \(readout.tasks[1])")
            for (k, kind) in ReadoutGeometry.UnitKind.allCases.enumerated() {
                let units = readout.units.filter { $0.kind == kind }
                let a = units.map { abs(readout.vectors[0][$0.index]) * $0.std }, b = units.map { abs(readout.vectors[1][$0.index]) * $0.std }
                scatter.series.append(.points(label: units.isEmpty ? nil : "\(kind.rawValue) (\(units.count))", x: a, y: b,
                                              colors: [Palette.category([0, 1, 7][k])], radius: 4))
            }
            charts.append(scatter)
        }
        return Figure(charts, columns: 2)
    }
}
