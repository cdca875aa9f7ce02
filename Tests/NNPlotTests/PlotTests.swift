import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NNPlot

/// Whether `text` parses as XML.
func isWellFormedXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

@Suite struct ScaleTests {
    @Test func niceTicksUseOneTwoFiveSteps() {
        #expect(Scale.niceTicks(0...1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Scale.niceTicks(-3...47, count: 5) == [0, 10, 20, 30, 40])
        #expect(Scale.niceTicks(0.013...0.0171, count: 4) == [0.014, 0.016])    // span/4 ≈ 0.001 → step 0.002
        #expect(Scale.niceTicks(0.013...0.0171, count: 8) == [0.013, 0.014, 0.015, 0.016, 0.017])
        #expect(Scale.niceTicks(5...5) == [5])
    }

    @Test func logTicksArePowersOfTen() {
        #expect(Scale.logTicks(1e-3...10) == [1e-3, 1e-2, 1e-1, 1, 10])
        #expect(Scale.domain(of: [0.002, 0.5, -1, .nan], kind: .log) == 1e-3...1)
    }

    @Test func transformsMapDomainToRange() {
        let linear = Scale(.linear, domain: 0...10, range: (100, 300))
        #expect(linear(0) == 100 && linear(5) == 200 && linear(10) == 300)
        let log = Scale(.log, domain: 1...1000, range: (0, 300))
        #expect(abs(log(10) - 100) < 1e-9 && abs(log(100) - 200) < 1e-9)
        let flipped = Scale(.linear, domain: 0...1, range: (200, 0))
        #expect(flipped(0.25) == 150)
    }

    @Test func tickLabelsAreShort() {
        #expect(tickLabel(0.05) == "0.05")
        #expect(tickLabel(2000) == "2000")
        #expect(tickLabel(1e-6) == "1e-6")
        #expect(tickLabel(2.5e-5) == "2.5e-5")
        #expect(tickLabel(0.30000000000000004) == "0.3")
    }

    @Test func viridisEndsAndPalette() {
        #expect(Palette.viridis(0) == "#440154" && Palette.viridis(1) == "#FDE725")
        #expect(Palette.category(8) == Palette.category(0))
    }
}

@Suite struct ChartTests {
    @Test func everySeriesAndLabelAppearsAndTheSVGIsValid() {
        var chart = Chart(title: "Loss & accuracy <test>", xLabel: "epoch", yLabel: "loss")
        chart.yScale = .log
        chart.series = [
            .line(label: "train", x: [1, 2, 3], y: [1, 0.1, 0.01], color: Palette.category(0)),
            .line(label: "validation", x: [1, 2, 3], y: [1.2, 0.2, .nan], color: Palette.category(1), dashed: true),
            .points(label: "test", x: [3], y: [0.02], colors: [Palette.category(2)]),
            .rule(label: "target", value: 1e-3, vertical: false, color: "#888"),
        ]
        let svg = Figure([chart]).svg()
        #expect(isWellFormedXML(svg))
        for label in ["train", "validation", "test", "target", "Loss &amp; accuracy &lt;test&gt;", "epoch", "loss"] {
            #expect(svg.contains(">\(label)<"), "missing \(label)")
        }
        let data = svg.components(separatedBy: "<g class=\"data\"")[1].components(separatedBy: "</g>")[0]
        #expect(data.components(separatedBy: "stroke=\"\(Palette.category(0))\"").count == 2)
        #expect(svg.contains("stroke-dasharray"))
        #expect(chart.domains.y == 1e-3...10)
    }

    @Test func barsStartAtZeroAndCategoriesLabelTheAxis() {
        var chart = Chart(title: "norms", xLabel: "layer", yLabel: "‖W‖")
        chart.xCategories = ["layer_0", "head_0"]
        chart.series = [.bars(label: "single", x: [0, 1], heights: [2, 3], width: 0.4, color: "#111")]
        #expect(chart.domains.y.lowerBound == 0)
        let svg = Figure([chart]).svg()
        #expect(isWellFormedXML(svg) && svg.contains(">layer_0<") && svg.contains(">head_0<"))
    }

    @Test func manyPolygonsStayCompact() {
        // 20,000 triangles in 4 colours: one fill path per colour plus one outline path.
        var shapes: [[(Double, Double)]] = []
        for i in 0..<20_000 {
            let x = Double(i % 200) / 200, y = Double(i / 200) / 100
            shapes.append([(x, y), (x + 0.005, y), (x, y + 0.01)])
        }
        var chart = Chart(title: "regions", xLabel: "u", yLabel: "v")
        chart.equalAspect = true
        chart.series = [.polygons(label: nil, shapes: shapes, fills: Palette.categorical.prefix(4).map { $0 }, stroke: "#fff", strokeWidth: 0.3)]
        let svg = Figure([chart]).svg()
        #expect(isWellFormedXML(svg))
        #expect(svg.components(separatedBy: "<path").count - 1 < 12)
        #expect(svg.utf8.count < 3_000_000)
    }
}

/// Category labels under a bar chart (conv layer names are long): level when they fit their
/// slot, slanted when they do not, and thinned when even slanted ones would touch — no two
/// written labels closer than a line of text across their slant.
@Suite struct CategoryLabelTests {
    /// The x of each category label the chart writes, and whether it is slanted.
    static func labels(_ categories: [String], panelWidth: Double) -> [(x: Double, slanted: Bool, text: String)] {
        var chart = Chart(title: "t", xLabel: "layer", yLabel: "norm")
        chart.xCategories = categories
        chart.series = [.bars(label: nil, x: categories.indices.map(Double.init), heights: categories.map { _ in 1 }, width: 0.8, color: "#000")]
        chart.xDomain = -0.6...(Double(categories.count) - 0.4)
        let svg = Figure([chart], panelWidth: panelWidth, panelHeight: 300).svg()
        let text = try! NSRegularExpression(pattern: "<text x=\"([-0-9.]+)\"[^>]*?(transform=\"rotate\\(-35[^\"]*\")?>([^<]*)</text>")
        return text.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).compactMap { m in
            let label = String(svg[Range(m.range(at: 3), in: svg)!])
            guard categories.contains(label) else { return nil }
            return (Double(svg[Range(m.range(at: 1), in: svg)!])!, m.range(at: 2).location != NSNotFound, label)
        }
    }

    @Test func shortLabelsStayLevel() {
        let written = Self.labels(["l0", "l1", "l2"], panelWidth: 500)
        #expect(written.count == 3 && written.allSatisfy { !$0.slanted })
    }

    @Test func longLabelsAreSlantedAndAllWritten() {
        let names = (0..<8).map { "block\($0).shortcut.0" }
        let written = Self.labels(names, panelWidth: 700)
        #expect(written.map(\.text) == names && written.allSatisfy(\.slanted))
    }

    @Test func crowdedLabelsAreThinnedToALineApart() {
        let names = (0..<60).map { "block\($0).main.3" }
        let written = Self.labels(names, panelWidth: 600)
        #expect(written.count < names.count && written.count >= 10 && written.allSatisfy(\.slanted))
        let gaps = zip(written.dropFirst(), written).map { $0.x - $1.x }
        #expect(gaps.allSatisfy { $0 * sin(35 * Double.pi / 180) >= 14 - 1e-9 }, "\(gaps)")
        #expect(written.first?.text == names[0])
    }
}
