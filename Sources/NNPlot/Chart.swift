import Foundation

/// One data series of a chart.
public enum Series: Sendable {
    /// A polyline (NaN points break it).
    case line(label: String?, x: [Double], y: [Double], color: String, width: Double = 1.8, opacity: Double = 1, dashed: Bool = false)
    /// Dots, one colour each (dots of one colour share a path).
    case points(label: String?, x: [Double], y: [Double], colors: [String], radius: Double = 2.2, opacity: Double = 0.85)
    /// Bars centred at `x`, `width` data units wide, from 0 (or the axis bottom on log scales).
    case bars(label: String?, x: [Double], heights: [Double], width: Double, color: String)
    /// Filled polygons (grouped by fill colour), outlines drawn in one path.
    case polygons(label: String?, shapes: [[(Double, Double)]], fills: [String], stroke: String, strokeWidth: Double)
    /// Line segments [x1, y1, x2, y2] in one path.
    case segments(label: String?, segments: [[Double]], color: String, width: Double)
    /// A shaded vertical band between two x values.
    case band(label: String?, from: Double, to: Double, color: String, opacity: Double = 0.15)
    /// A vertical or horizontal reference line.
    case rule(label: String?, value: Double, vertical: Bool, color: String, dashed: Bool = true)

    var label: String? {
        switch self {
        case .line(let l, _, _, _, _, _, _), .points(let l, _, _, _, _, _), .bars(let l, _, _, _, _),
             .polygons(let l, _, _, _, _), .segments(let l, _, _, _), .band(let l, _, _, _, _), .rule(let l, _, _, _, _):
            return l
        }
    }

    var color: String {
        switch self {
        case .line(_, _, _, let c, _, _, _), .bars(_, _, _, _, let c), .segments(_, _, let c, _), .band(_, _, _, let c, _), .rule(_, _, _, let c, _): c
        case .points(_, _, _, let colors, _, _): colors.first ?? "#000"
        case .polygons(_, _, let fills, _, _): fills.first ?? "#ccc"
        }
    }

    /// Data values for automatic axis ranges.
    var extent: (x: [Double], y: [Double]) {
        switch self {
        case .line(_, let x, let y, _, _, _, _), .points(_, let x, let y, _, _, _): (x, y)
        case .bars(_, let x, let h, let w, _): (x.map { $0 - w / 2 } + x.map { $0 + w / 2 }, h)
        case .polygons(_, let shapes, _, _, _): (shapes.flatMap { $0.map(\.0) }, shapes.flatMap { $0.map(\.1) })
        case .segments(_, let s, _, _): (s.flatMap { [$0[0], $0[2]] }, s.flatMap { [$0[1], $0[3]] })
        case .band(_, let a, let b, _, _): ([a, b], [])
        case .rule(_, let v, let vertical, _, _): vertical ? ([v], []) : ([], [v])
        }
    }
}

/// Where a legend should go: a corner of the plot area, tried first (a corner where it would hide
/// data is passed over, see `LegendLayout`), or outside the plot area.
public enum LegendCorner: Sendable { case topRight, topLeft, bottomRight, bottomLeft, outside }

/// A colour scale beside the plot area, for points coloured by a value: viridis from `range`'s
/// lower bound (dark purple) to its upper bound (yellow), as `Palette.viridis` colours them.
public struct ColorBar: Sendable {
    public var label: String
    public var range: ClosedRange<Double>

    public init(label: String, range: ClosedRange<Double>) {
        self.label = label
        self.range = range
    }

    /// The colour of `value` on this bar.
    public func color(_ value: Double) -> String {
        let span = range.upperBound - range.lowerBound
        return Palette.viridis(span > 0 ? (value - range.lowerBound) / span : 0.5)
    }
}

/// One panel: axes with ticks and labels, a title, a legend and its series.
public struct Chart: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale.Kind = .linear
    public var yScale: Scale.Kind = .linear
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?
    /// Category names under bar positions 0, 1, 2, … instead of numeric x ticks.
    public var xCategories: [String]?
    /// Same data units on both axes (region maps).
    public var equalAspect = false
    /// The corner of the plot area the legend tries first (it never hides data; see `LegendLayout`).
    public var legend: LegendCorner = .topRight
    /// A colour scale right of the plot area (points coloured by a value).
    public var colorBar: ColorBar?
    public var series: [Series] = []

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// The axis ranges the chart will use.
    public var domains: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let xs = series.flatMap { $0.extent.x }, ys = series.flatMap { $0.extent.y }
        let hasBars = series.contains { if case .bars = $0 { return true } else { return false } }
        return (xDomain ?? Scale.domain(of: xs, kind: xScale, margin: hasBars ? 0 : 0.02),
                yDomain ?? Scale.domain(of: ys, kind: yScale, includeZero: hasBars))
    }
}
