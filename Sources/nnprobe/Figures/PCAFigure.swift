import NNModelAnalyses
import NNPlot

/// PCA of activations: the scree plot with its cumulative curve, and scatters of the activations
/// on the top two components coloured by the varied input's value, with its colour bar (one panel per task).
enum PCAFigure {
    static func make(_ layer: PCAReport.Layer, projections: [PCAProjection], title: String) -> Figure {
        var scree = Chart(title: "Scree, layer_\(layer.layer)", xLabel: "component", yLabel: "explained variance ratio")
        let k = min(layer.explainedVarianceRatio.count, 20)
        let x = (1...max(1, k)).map(Double.init)
        scree.series = [
            .bars(label: "per component", x: x, heights: Array(layer.explainedVarianceRatio.prefix(k)), width: 0.7, color: Palette.category(0)),
            .line(label: "cumulative", x: x, y: Array(layer.cumulativeRatio.prefix(k)), color: Palette.category(1)),
            .rule(label: "90 %", value: 0.9, vertical: false, color: "#888"),
        ]
        scree.yDomain = 0...1.02
        var charts = [scree]
        for p in projections {
            let lo = p.colour.min() ?? 0, hi = p.colour.max() ?? 1
            var scatter = Chart(title: "\(p.task): top two components (colour: \(p.colourName))", xLabel: "PC1", yLabel: "PC2")
            let bar = ColorBar(label: p.colourName, range: lo...max(lo, hi))
            scatter.colorBar = bar
            scatter.series = [.points(label: nil, x: p.first, y: p.second, colors: p.colour.map(bar.color), radius: 2)]
            charts.append(scatter)
        }
        return Figure(charts, title: title, columns: min(3, charts.count))
    }
}
