import Foundation

extension ColorBar {
    /// Room a colour bar takes right of the plot area: gap, bar, tick labels and the bar's label.
    static let width = 78.0

    /// Draws the bar right of `plot`: a vertical viridis gradient (its SVG id `id`), ticks with
    /// labels, and the label turned along it.
    func draw(into svg: inout SVGWriter, plot: PlotBox, id: String) {
        let n = SVGWriter.n
        let left = plot.x + plot.w + 12, barWidth = 12.0
        let stops = (0...10).map { k -> String in
            let t = Double(k) / 10
            return "<stop offset=\"\(n(t))\" stop-color=\"\(Palette.viridis(t))\"/>"
        }.joined()
        svg.raw("<g class=\"colorbar\"><defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\(stops)</linearGradient></defs>")
        svg.rect(x: left, y: plot.y, width: barWidth, height: plot.h, fill: "url(#\(id))", stroke: "#333")
        let scale = Scale(.linear, domain: range, range: (plot.y + plot.h, plot.y))
        var ticks = ""
        for t in Scale.niceTicks(range, count: max(2, Int(plot.h / 50))) {
            ticks += "M\(n(left + barWidth)) \(n(scale(t)))h4"
            svg.text(tickLabel(t), x: left + barWidth + 6, y: scale(t) + 4, size: 10, anchor: "start")
        }
        svg.path(ticks, stroke: "#333", width: 1)
        svg.text(label, x: left + barWidth + 52, y: plot.y + plot.h / 2, size: 11, rotate: -90)
        svg.raw("</g>")
    }
}
