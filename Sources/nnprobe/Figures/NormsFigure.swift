import NNModelAnalyses
import NNPlot

/// Grouped bars: Frobenius norm per layer/head, one bar per checkpoint.
enum NormsFigure {
    static func make(_ files: [WeightNorms]) -> Figure {
        var names: [String] = []
        for f in files { for e in f.entries where !names.contains(e.name) { names.append(e.name) } }
        var chart = Chart(title: "Weight norms per layer and head", xLabel: "layer / head", yLabel: "Frobenius norm")
        chart.xCategories = names
        let shown = Array(files.prefix(8))
        let width = 0.8 / Double(shown.count)
        for (k, file) in shown.enumerated() {
            let offset = -0.4 + width * (Double(k) + 0.5)
            let entries = file.entries.compactMap { e in names.firstIndex(of: e.name).map { (Double($0) + offset, e.frobeniusNorm) } }
            chart.series.append(.bars(label: shortName(file.file), x: entries.map(\.0), heights: entries.map(\.1), width: width * 0.95,
                                      color: Palette.category(k)))
        }
        chart.xDomain = -0.6...(Double(names.count) - 0.4)
        return Figure([chart], panelWidth: max(460, Double(names.count) * 70), panelHeight: 360)
    }
}
