import Foundation

extension Chart {
    static let margin = (left: 64.0, right: 16.0, top: 30.0, bottom: 46.0)

    /// Draws the chart into the box (x, y, width, height) of `svg`.
    public func render(into svg: inout SVGWriter, x: Double, y: Double, width: Double, height: Double, idPrefix: String = "f") {
        let m = Self.margin
        let (xd, yd) = domains
        var right = m.right + (colorBar == nil ? 0 : ColorBar.width), bottom = m.bottom
        // Category labels wider than their slot are slanted (and, when even slanted they would
        // touch, only every `step`-th is written); the bottom margin grows to hold them.
        let categoryLabels = CategoryLabels(xCategories ?? [], slot: (width - m.left - right) / Double(max(1, xCategories?.count ?? 1)))
        bottom += categoryLabels.extraHeight
        func area() -> PlotBox {
            var plot = (x: x + m.left, y: y + m.top, w: width - m.left - right, h: height - m.top - bottom)
            if equalAspect {
                let ratio = (xd.upperBound - xd.lowerBound) / max(1e-300, yd.upperBound - yd.lowerBound)
                if plot.w / plot.h > ratio { let w = plot.h * ratio; plot.x += (plot.w - w) / 2; plot.w = w }
                else { let h = plot.w / ratio; plot.y += (plot.h - h) / 2; plot.h = h }
            }
            return plot
        }
        func scales(_ plot: PlotBox) -> (Scale, Scale) {
            (Scale(xScale, domain: xd, range: (plot.x, plot.x + plot.w)), Scale(yScale, domain: yd, range: (plot.y + plot.h, plot.y)))
        }
        var plot = area()
        var (sx, sy) = scales(plot)
        // The legend: in a corner where it hides nothing, else outside the plot area (right, or
        // below when its entries are wide), the plot area shrinking to make room.
        let legendLayout = LegendLayout(series)
        var legendAt: (x: Double, y: Double)?
        if !legendLayout.isEmpty {
            let obstacles = DataGeometry(series, sx: sx, sy: sy, plot: plot, logY: yScale == .log)
            if legend != .outside, let corner = legendLayout.corner(in: plot, preferring: legend, obstacles: obstacles) {
                legendAt = corner
            } else if legendLayout.width <= width * 0.4 || legendLayout.height > height * 0.4 {   // below only when it fits
                right += legendLayout.width + 10
                plot = area()
                legendAt = (x + width - legendLayout.width - 8, plot.y)
            } else {
                bottom += legendLayout.height + 6
                plot = area()
                legendAt = (plot.x, y + height - legendLayout.height - 4)
            }
            (sx, sy) = scales(plot)
        }
        let n = SVGWriter.n

        svg.text(title, x: x + width / 2, y: y + 18, size: 14, weight: "bold")
        // Grid and ticks.
        var grid = "", ticks = ""
        let xTicks = xCategories == nil ? sx.ticks(max(2, Int(plot.w / 80))) : Array(xCategories!.indices).map(Double.init)
        for t in xTicks {
            let px = sx(t)
            grid += "M\(n(px)) \(n(plot.y))V\(n(plot.y + plot.h))"
            ticks += "M\(n(px)) \(n(plot.y + plot.h))v5"
            if let categories = xCategories {
                guard Int(t) % categoryLabels.step == 0 else { continue }
                if categoryLabels.slanted {
                    svg.text(categories[Int(t)], x: px + 4, y: plot.y + plot.h + 14, size: 11, anchor: "end", rotate: CategoryLabels.angle)
                } else {
                    svg.text(categories[Int(t)], x: px, y: plot.y + plot.h + 18, size: 11)
                }
                continue
            }
            svg.text(tickLabel(t), x: px, y: plot.y + plot.h + 18, size: 11)
        }
        for t in sy.ticks(max(2, Int(plot.h / 50))) {
            let py = sy(t)
            grid += "M\(n(plot.x)) \(n(py))H\(n(plot.x + plot.w))"
            ticks += "M\(n(plot.x)) \(n(py))h-5"
            svg.text(tickLabel(t), x: plot.x - 8, y: py + 4, size: 11, anchor: "end")
        }
        svg.path(grid, stroke: "#e6e6e6", width: 1)
        let clip = "\(idPrefix)c\(Int(x))_\(Int(y))"
        svg.raw("<clipPath id=\"\(clip)\"><rect x=\"\(n(plot.x))\" y=\"\(n(plot.y))\" width=\"\(n(plot.w))\" height=\"\(n(plot.h))\"/></clipPath>")
        svg.raw("<g class=\"data\" clip-path=\"url(#\(clip))\">")
        for s in series { draw(s, into: &svg, sx: sx, sy: sy, plot: plot) }
        svg.raw("</g>")
        svg.path("M\(n(plot.x)) \(n(plot.y))V\(n(plot.y + plot.h))H\(n(plot.x + plot.w))", stroke: "#333", width: 1)
        svg.path(ticks, stroke: "#333", width: 1)
        svg.text(xLabel, x: plot.x + plot.w / 2, y: plot.y + plot.h + 36 + categoryLabels.extraHeight, size: 12)
        svg.text(yLabel, x: x + 14, y: plot.y + plot.h / 2, size: 12, rotate: -90)
        if let colorBar { colorBar.draw(into: &svg, plot: plot, id: "\(idPrefix)cb\(Int(x))_\(Int(y))") }
        if let legendAt { legendLayout.draw(into: &svg, x: legendAt.x, y: legendAt.y) }
    }

    private func draw(_ s: Series, into svg: inout SVGWriter, sx: Scale, sy: Scale, plot: PlotBox) {
        let n = SVGWriter.n
        switch s {
        case .line(_, let xs, let ys, let color, let width, let opacity, let dashed):
            var d = "", pen = false
            for (a, b) in zip(xs, ys) {
                guard a.isFinite, b.isFinite, yScale == .linear || b > 0 else { pen = false; continue }
                d += (pen ? "L" : "M") + "\(n(sx(a))) \(n(sy(b)))"
                pen = true
            }
            svg.path(d, stroke: color, width: width, opacity: opacity, dashed: dashed)
        case .points(_, let xs, let ys, let colors, let r, let opacity):
            var byColour: [String: String] = [:]
            for (i, (a, b)) in zip(xs, ys).enumerated() where a.isFinite && b.isFinite {
                byColour[colors[i % colors.count], default: ""] +=
                    "M\(n(sx(a) - r)) \(n(sy(b)))a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0a\(n(r)) \(n(r)) 0 1 0 \(n(-2 * r)) 0"
            }
            for colour in byColour.keys.sorted() { svg.path(byColour[colour]!, fill: colour, opacity: opacity) }
        case .bars(_, let xs, let heights, let width, let color):
            var d = ""
            let base = yScale == .log ? plot.y + plot.h : sy(max(0, sy.domain.lowerBound))
            for (a, h) in zip(xs, heights) where h.isFinite && (yScale == .linear || h > 0) {
                let left = sx(a - width / 2), right = sx(a + width / 2), top = sy(h)
                d += "M\(n(left)) \(n(base))V\(n(top))H\(n(right))V\(n(base))Z"
            }
            svg.path(d, stroke: "white", fill: color, width: 0.5)
        case .polygons(_, let shapes, let fills, let stroke, let strokeWidth):
            var byColour: [String: String] = [:], outline = ""
            for (i, shape) in shapes.enumerated() where shape.count >= 3 {
                let d = "M" + shape.map { "\(n(sx($0.0))) \(n(sy($0.1)))" }.joined(separator: "L") + "Z"
                byColour[fills[i % fills.count], default: ""] += d
                outline += d
            }
            for colour in byColour.keys.sorted() { svg.path(byColour[colour]!, fill: colour) }
            if strokeWidth > 0 { svg.path(outline, stroke: stroke, width: strokeWidth, opacity: 0.7) }
        case .segments(_, let segments, let color, let width):
            svg.path(segments.map { "M\(n(sx($0[0]))) \(n(sy($0[1])))L\(n(sx($0[2]))) \(n(sy($0[3])))" }.joined(), stroke: color, width: width)
        case .band(_, let a, let b, let color, let opacity):
            svg.rect(x: sx(min(a, b)), y: plot.y, width: abs(sx(b) - sx(a)), height: plot.h, fill: color, opacity: opacity)
        case .rule(_, let value, let vertical, let color, let dashed):
            let d = vertical ? "M\(n(sx(value))) \(n(plot.y))V\(n(plot.y + plot.h))" : "M\(n(plot.x)) \(n(sy(value)))H\(n(plot.x + plot.w))"
            svg.path(d, stroke: color, width: 1.5, dashed: dashed)
        }
    }
}

/// Charts laid out in a grid, written as one SVG document.
public struct Figure: Sendable {
    public var title: String?
    public var charts: [Chart]
    public var columns: Int
    public var panelWidth: Double
    public var panelHeight: Double
    /// Prefix of the element ids, unique per figure when several share an HTML page.
    public var idPrefix = "f"

    public init(_ charts: [Chart], title: String? = nil, columns: Int? = nil, panelWidth: Double = 460, panelHeight: Double = 340) {
        self.charts = charts
        self.title = title
        self.columns = max(1, min(columns ?? charts.count, charts.count))
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }

    /// The SVG text.
    public func svg() -> String {
        let rows = (charts.count + columns - 1) / columns
        let header = title == nil ? 0.0 : 28
        var writer = SVGWriter()
        if let title { writer.text(title, x: Double(columns) * panelWidth / 2, y: 20, size: 16, weight: "bold") }
        for (i, chart) in charts.enumerated() {
            chart.render(into: &writer, x: Double(i % columns) * panelWidth, y: header + Double(i / columns) * panelHeight,
                         width: panelWidth, height: panelHeight, idPrefix: idPrefix)
        }
        return writer.document(width: Double(columns) * panelWidth, height: header + Double(rows) * panelHeight)
    }
}

/// How a chart writes its category labels under the x axis: level when each fits its slot, else
/// slanted at `angle`, and only every `step`-th when slanted labels closer than a line apart would
/// overlap. Widths are estimated from the character count (11-pixel text: about 6.5 pixels a character).
struct CategoryLabels {
    static let angle = -35.0
    static let characterWidth = 6.5
    let slanted: Bool
    let step: Int
    /// Height the slanted labels need beyond a level label's.
    let extraHeight: Double

    init(_ labels: [String], slot: Double) {
        let widest = Double(labels.map(\.count).max() ?? 0) * Self.characterWidth
        slanted = widest > slot * 0.92
        let radians = -Self.angle * .pi / 180
        // Slanted labels are a line (14 px) apart across their slant when slots are 14 / sin(angle) apart.
        step = slanted ? max(1, Int((14 / sin(radians) / max(slot, 1e-9)).rounded(.up))) : 1
        extraHeight = slanted ? max(0, widest * sin(radians) + 11 * cos(radians) - 16) : 0
    }
}
