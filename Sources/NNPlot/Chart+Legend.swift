import Foundation

/// The plot area of a panel, in pixels.
typealias PlotBox = (x: Double, y: Double, w: Double, h: Double)

/// Where a chart's legend goes and what it shows.
///
/// A legend never hides data: it goes in the first corner of the plot area (the chart's
/// preferred one first, then top right, top left, bottom right, bottom left) whose box meets no
/// line, point, bar, segment or reference line of the chart — shaded bands and filled polygons
/// are background and may sit under it — and outside the plot area, right of it (or below it when
/// the entries are wide), when no corner is free. Each entry shows its series as drawn: a line
/// sample with the line's width and dashes, a dot, a filled swatch.
struct LegendLayout {
    struct Entry {
        let label: String
        let series: Series
    }

    static let rowHeight = 16.0
    static let sampleWidth = 22.0

    let entries: [Entry]
    let width: Double
    let height: Double

    init(_ series: [Series]) {
        entries = series.compactMap { s in s.label.map { Entry(label: $0, series: s) } }
        width = Double(entries.map(\.label.count).max() ?? 0) * 6.6 + Self.sampleWidth + 16
        height = Double(entries.count) * Self.rowHeight + 6
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The legend's box (left, top) in the plot area `plot`: the first free corner, or nil when
    /// every corner would hide something drawn in `obstacles`.
    func corner(in plot: PlotBox, preferring preferred: LegendCorner, obstacles: DataGeometry) -> (x: Double, y: Double)? {
        guard width + 12 <= plot.w, height + 12 <= plot.h else { return nil }
        let order = [preferred] + [LegendCorner.topRight, .topLeft, .bottomRight, .bottomLeft].filter { $0 != preferred }
        for corner in order where corner != .outside {
            let left = corner == .topRight || corner == .bottomRight ? plot.x + plot.w - 6 - width : plot.x + 6
            let top = corner == .topRight || corner == .topLeft ? plot.y + 6 : plot.y + plot.h - 6 - height
            if !obstacles.meets(x: left, y: top, w: width, h: height) { return (left, top) }
        }
        return nil
    }

    /// Draws the legend with its top left corner at (x, y).
    func draw(into svg: inout SVGWriter, x: Double, y: Double) {
        svg.raw("<g class=\"legend\">")
        svg.rect(x: x, y: y, width: width, height: height, fill: "white", stroke: "#ccc", opacity: 0.9)
        let n = SVGWriter.n
        for (i, entry) in entries.enumerated() {
            let rowY = y + 14 + Double(i) * Self.rowHeight
            let sample = (x: x + 6, y: rowY - 4, w: Self.sampleWidth)
            switch entry.series {
            case .line(_, _, _, let color, let width, let opacity, let dashed):
                svg.path("M\(n(sample.x)) \(n(sample.y))h\(n(sample.w))", stroke: color, width: min(width, 3), opacity: max(opacity, 0.6), dashed: dashed)
            case .rule(_, _, _, let color, let dashed):
                svg.path("M\(n(sample.x)) \(n(sample.y))h\(n(sample.w))", stroke: color, width: 1.5, dashed: dashed)
            case .segments(_, _, let color, let width):
                svg.path("M\(n(sample.x)) \(n(sample.y))h\(n(sample.w))", stroke: color, width: min(width, 3))
            case .points(_, _, _, let colors, _, _):
                let r = 3.5
                svg.path("M\(n(sample.x + sample.w / 2 - r)) \(n(sample.y))a\(n(r)) \(n(r)) 0 1 0 \(n(2 * r)) 0a\(n(r)) \(n(r)) 0 1 0 \(n(-2 * r)) 0",
                         fill: colors.first ?? "#000")
            case .bars, .polygons, .band:
                svg.rect(x: sample.x + 4, y: sample.y - 5, width: 14, height: 10, fill: entry.series.color)
            }
            svg.text(entry.label, x: sample.x + sample.w + 6, y: rowY, size: 11, anchor: "start")
        }
        svg.raw("</g>")
    }
}

/// What a chart draws that a legend must not hide, in pixels: line pieces, dots and boxes.
struct DataGeometry {
    var segments: [(Double, Double, Double, Double)] = []
    var dots: [(x: Double, y: Double, r: Double)] = []
    var boxes: [PlotBox] = []

    init(_ series: [Series], sx: Scale, sy: Scale, plot: PlotBox, logY: Bool) {
        let inside = { (a: Double, b: Double) in a.isFinite && b.isFinite && (!logY || b > 0) }
        for s in series {
            switch s {
            case .line(_, let xs, let ys, _, _, _, _):
                var last: (Double, Double)?
                for (a, b) in zip(xs, ys) {
                    guard inside(a, b) else { last = nil; continue }
                    let p = (sx(a), sy(b))
                    if let q = last { segments.append((q.0, q.1, p.0, p.1)) } else { dots.append((p.0, p.1, 0)) }
                    last = p
                }
            case .points(_, let xs, let ys, _, let r, _):
                for (a, b) in zip(xs, ys) where inside(a, b) { dots.append((sx(a), sy(b), r)) }
            case .bars(_, let xs, let heights, let width, _):
                let base = logY ? plot.y + plot.h : sy(max(0, sy.domain.lowerBound))
                for (a, h) in zip(xs, heights) where h.isFinite && (!logY || h > 0) {
                    let left = sx(a - width / 2), right = sx(a + width / 2), top = sy(h)
                    boxes.append((min(left, right), min(top, base), abs(right - left), abs(base - top)))
                }
            case .segments(_, let list, _, _):
                for s in list where s.count == 4 { segments.append((sx(s[0]), sy(s[1]), sx(s[2]), sy(s[3]))) }
            case .rule(_, let value, let vertical, _, _):
                if vertical { segments.append((sx(value), plot.y, sx(value), plot.y + plot.h)) }
                else if !logY || value > 0 { segments.append((plot.x, sy(value), plot.x + plot.w, sy(value))) }
            case .polygons, .band:
                break   // background: a legend may sit over it
            }
        }
    }

    /// Whether anything drawn touches the box (with a 2-pixel margin).
    func meets(x: Double, y: Double, w: Double, h: Double) -> Bool {
        let (x0, y0, x1, y1) = (x - 2, y - 2, x + w + 2, y + h + 2)
        for d in dots where d.x + d.r >= x0 && d.x - d.r <= x1 && d.y + d.r >= y0 && d.y - d.r <= y1 { return true }
        for b in boxes where b.x <= x1 && b.x + b.w >= x0 && b.y <= y1 && b.y + b.h >= y0 { return true }
        for s in segments where Self.segment(s, meetsBox: (x0, y0, x1, y1)) { return true }
        return false
    }

    /// Liang–Barsky clipping: whether the segment has a part inside the box.
    static func segment(_ s: (Double, Double, Double, Double), meetsBox b: (Double, Double, Double, Double)) -> Bool {
        let dx = s.2 - s.0, dy = s.3 - s.1
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, s.0 - b.0), (dx, b.2 - s.0), (-dy, s.1 - b.1), (dy, b.3 - s.1)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return false }; t0 = max(t0, r) } else { if r < t0 { return false }; t1 = min(t1, r) }
            }
        }
        return true
    }
}
