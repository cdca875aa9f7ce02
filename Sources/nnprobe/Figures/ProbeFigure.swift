import NNModelAnalyses
import NNPlot

/// Bars: the probe's held-out score per layer; the baselines on the inputs as dashed lines.
enum ProbeFigure {
    static func make(_ report: ProbeReport) -> Figure {
        let metric = report.metric == "r2" ? "R²" : "accuracy"
        var chart = Chart(title: "Linear probe per layer (\(report.layers.first?.method.rawValue ?? "probe"), \(report.heldOutSplit) rows)",
                          xLabel: "layer", yLabel: "held-out \(metric)")
        chart.xCategories = report.layers.map(\.name)
        chart.series = [.bars(label: "probe", x: report.layers.indices.map(Double.init), heights: report.layers.map(\.score),
                              width: 0.7, color: Palette.category(0))]
        for (k, b) in report.baselines.enumerated() where b.score.isFinite {
            chart.series.append(.rule(label: "\(b.method.rawValue) on the inputs", value: b.score, vertical: false, color: Palette.category(k + 1)))
        }
        if let chance = report.chance {
            chart.series.append(.rule(label: "most frequent class", value: chance, vertical: false, color: "#888888"))
        }
        // Room right of the bars for the legend (about three bars wide), so it hides none of them.
        let slots = Double(report.layers.count) + 3
        chart.xDomain = -0.6...(slots - 0.4)
        if report.metric == "accuracy" { chart.yDomain = 0...1 }
        chart.legend = .topRight
        return Figure([chart], title: shortTitle(report.file, limit: 60), panelWidth: max(460, slots * 55 + 100), panelHeight: 360)
    }
}
