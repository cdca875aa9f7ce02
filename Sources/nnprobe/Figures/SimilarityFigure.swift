import Foundation
import NNAnalysis
import NNPlot

/// Heat maps of the similarity matrices, one panel per layer and measure, in viridis with yellow
/// for identical: similarities (CKA, SVCCA) on [0, 1], distances reversed (Procrustes over
/// [0, √2], angular over [0, π/2]). Row 0 is at the top.
enum SimilarityFigure {
    static func make(_ report: SimilarityReport) -> Figure {
        var charts: [Chart] = []
        for c in report.comparisons {
            let subject = c.layer.map { "layer_\($0)" } ?? "layers"
            for r in c.results {
                let k = r.matrix.count
                var chart = Chart(title: "\(subject): \(r.measure.rawValue)\(r.kind == "distance" ? " (yellow = 0)" : " (yellow = 1)")",
                                  xLabel: c.layer == nil ? "layer" : "net", yLabel: c.layer == nil ? "layer (0 at top)" : "net (0 at top)")
                var shapes: [[(Double, Double)]] = [], fills: [String] = []
                for i in 0..<k {
                    for j in 0..<k {
                        let y = Double(k - 1 - i), x = Double(j)
                        shapes.append([(x - 0.5, y - 0.5), (x + 0.5, y - 0.5), (x + 0.5, y + 0.5), (x - 0.5, y + 0.5)])
                        fills.append(r.matrix[i][j].isFinite ? Palette.viridis(shade(r.matrix[i][j], r.measure)) : "#BBBBBB")
                    }
                }
                chart.series = [.polygons(label: nil, shapes: shapes, fills: fills, stroke: "white", strokeWidth: k <= 20 ? 0.5 : 0)]
                chart.xDomain = -0.5...(Double(k) - 0.5)
                chart.yDomain = -0.5...(Double(k) - 0.5)
                chart.equalAspect = true
                charts.append(chart)
            }
        }
        return Figure(charts, title: "Representation similarity (\(report.rows.nSamples) rows)", columns: min(3, charts.count), panelWidth: 380, panelHeight: 380)
    }

    /// Where `value` falls on the colour scale: 1 (yellow) = identical.
    static func shade(_ value: Double, _ measure: SimilarityMeasure) -> Double {
        switch measure {
        case .procrustes: 1 - value / 2.squareRoot()
        case .angular: 1 - value / (Double.pi / 2)
        case .cka, .debiasedCKA, .svcca: value
        }
    }
}
