import Foundation
import Testing
@testable import NNPlot

/// Legends hide no data (a free corner, else outside the plot area), show each series' line
/// style, and points coloured by a value get a colour bar (issue 15, item 9). Checked on the SVG
/// text read back (`SVGGeometry`), not on the layout code's own numbers.
@Suite struct LegendTests {
    /// The panels of `chart` drawn alone, read back.
    func drawn(_ chart: Chart) -> SVGGeometry.Panel {
        let panels = SVGGeometry(Figure([chart]).svg()).panels
        #expect(panels.count == 1)
        return panels[0]
    }

    @Test func aLegendGoesToACornerWithoutData() {
        // A curve from top left to bottom right and a cluster of dots top right: the default
        // corner (top right) and the bottom right are taken, and so is the top left.
        var chart = Chart(title: "falling", xLabel: "x", yLabel: "y")
        let x = (0...50).map { Double($0) / 50 }
        chart.series = [
            .line(label: "loss", x: x, y: x.map { 1 - $0 }, color: Palette.category(0)),
            .points(label: "late", x: x.suffix(10).map { $0 }, y: x.suffix(10).map { _ in 0.95 }, colors: [Palette.category(1)]),
            .points(label: "early", x: x.prefix(10).map { $0 }, y: x.prefix(10).map { _ in 0.9 }, colors: [Palette.category(2)]),
        ]
        let panel = drawn(chart)
        let legend = try! #require(panel.legend)
        #expect(panel.hiddenByLegend.isEmpty, "\(panel.hiddenByLegend.prefix(3))")
        let dots = panel.circles.map(\.x)
        #expect(legend.x < dots.min()! + 40 && legend.y > panel.circles.map(\.y).max()!, "bottom left: \(legend)")
    }

    @Test func spectraScreeAndBarsKeepTheirDataVisible() {
        // The log panel of `svd --plot`: falling spectra with horizontal edges across the panel.
        var log = Chart(title: "Singular values, log scale", xLabel: "index", yLabel: "σ")
        log.yScale = .log
        for (k, top) in [8.0, 2.0, 0.5].enumerated() {
            let x = (1...16).map(Double.init), y = x.map { top * pow(0.8, $0) }
            log.series += [.line(label: "layer_\(k)", x: x, y: y, color: Palette.category(k)),
                           .points(label: nil, x: x, y: y, colors: [Palette.category(k)]),
                           .rule(label: nil, value: top * 1.1, vertical: false, color: Palette.category(k))]
        }
        // A scree plot: bars, the cumulative curve near the top, the 90 % rule.
        var scree = Chart(title: "Scree", xLabel: "component", yLabel: "ratio")
        let ratios = [0.5, 0.3, 0.1, 0.05, 0.03, 0.02], x = (1...6).map(Double.init)
        var total = 0.0
        scree.series = [.bars(label: "per component", x: x, heights: ratios, width: 0.7, color: Palette.category(0)),
                        .line(label: "cumulative", x: x, y: ratios.map { total += $0; return total }, color: Palette.category(1)),
                        .rule(label: "90 %", value: 0.9, vertical: false, color: "#888")]
        scree.yDomain = 0...1.02
        // Norms: tall bars under the default corner.
        var norms = Chart(title: "norms", xLabel: "layer", yLabel: "‖W‖")
        norms.xCategories = ["layer_0", "layer_1", "head_0"]
        norms.series = (0..<4).map { k in
            .bars(label: "lr=\(k)", x: (0..<3).map { Double($0) - 0.3 + 0.2 * Double(k) }, heights: [3, 9, 12], width: 0.18, color: Palette.category(k))
        }
        for chart in [log, scree, norms] {
            let panel = drawn(chart)
            #expect(panel.legend != nil, "\(chart.title): no legend")
            #expect(panel.hiddenByLegend.isEmpty, "\(chart.title): the legend hides \(panel.hiddenByLegend.prefix(3))")
        }
    }

    @Test func withNoFreeCornerTheLegendGoesOutsideThePlot() {
        var chart = Chart(title: "everywhere", xLabel: "x", yLabel: "y")
        let gx: [Double] = (0..<400).map { Double($0 % 20) / 19 }, gy: [Double] = (0..<400).map { Double($0 / 20) / 19 }
        chart.series = [.points(label: "a long label for every dot", x: gx, y: gy, colors: ["#333333"])]
        for corner in [LegendCorner.topRight, .outside] {
            chart.legend = corner
            let panel = drawn(chart)
            let legend = try! #require(panel.legend)
            #expect(panel.hiddenByLegend.isEmpty)
            let right = panel.circles.map { $0.x + $0.r }.max()!, bottom = panel.circles.map { $0.y + $0.r }.max()!
            #expect(legend.x > right || legend.y > bottom, "legend \(legend) beside data up to x \(right), y \(bottom)")
        }
    }

    @Test func legendEntriesShowTheLineStyle() {
        var chart = Chart(title: "curves", xLabel: "epoch", yLabel: "loss")
        chart.series = [
            .line(label: "train", x: [1, 2, 3], y: [3, 2, 1], color: "#0072B2"),
            .line(label: "validation", x: [1, 2, 3], y: [3.5, 2.5, 2], color: "#E69F00", dashed: true),
            .points(label: "test", x: [3], y: [2.2], colors: ["#009E73"]),
        ]
        let svg = Figure([chart]).svg()
        let legend = svg.components(separatedBy: "<g class=\"legend\">")[1].components(separatedBy: "</g>")[0]
        let paths = legend.split(separator: "\n").filter { $0.hasPrefix("<path") }
        let validation = paths.filter { $0.contains("stroke=\"#E69F00\"") }, train = paths.filter { $0.contains("stroke=\"#0072B2\"") }
        #expect(validation.count == 1 && validation[0].contains("stroke-dasharray"), "\(legend)")
        #expect(train.count == 1 && !train[0].contains("stroke-dasharray"))
        #expect(paths.contains { $0.contains("fill=\"#009E73\"") && $0.contains("a3.5 3.5") }, "the test point is a dot")
        #expect(isWellFormedXML(svg))
    }

    @Test func pointsColouredByAValueGetAColourBar() {
        let bar = ColorBar(label: "input 0", range: -1...1)
        #expect(bar.color(-1) == Palette.viridis(0) && bar.color(1) == Palette.viridis(1) && bar.color(0) == Palette.viridis(0.5))
        var chart = Chart(title: "scatter", xLabel: "PC1", yLabel: "PC2")
        let values = (0..<50).map { Double($0) / 49 * 2 - 1 }
        chart.series = [.points(label: nil, x: values, y: values.map { $0 * $0 }, colors: values.map(bar.color))]
        chart.colorBar = bar
        let svg = Figure([chart]).svg()
        #expect(isWellFormedXML(svg))
        let colourBar = try! #require(svg.components(separatedBy: "<g class=\"colorbar\">").dropFirst().first?.components(separatedBy: "</g>").first)
        #expect(colourBar.contains("<stop offset=\"0\" stop-color=\"\(Palette.viridis(0))\"/>"))
        #expect(colourBar.contains("<stop offset=\"1\" stop-color=\"\(Palette.viridis(1))\"/>"))
        for label in ["-1", "0", "1", "input 0"] { #expect(colourBar.contains(">\(label)</text>"), "\(label)") }
        // Beside the plot area, not over the data.
        let panel = SVGGeometry(svg).panels[0]
        let barX = Double(SVGGeometry.attribute("x", of: String(colourBar.split(separator: "\n").first { $0.hasPrefix("<rect") }!))!)!
        #expect(barX > panel.circles.map { $0.x + $0.r }.max()!)
    }
}
