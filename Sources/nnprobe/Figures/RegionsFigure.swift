import NNPlot
import NNRegions

/// The region map of a 2-D slice: every linear region a filled polygon with its edges drawn
/// (classifiers: filled by arg-max class), the decision boundary in bold, data points on top.
enum RegionsFigure {
    static func make(_ partition: RegionPartition, boundary: DecisionBoundary?, points: [(u: Double, v: Double, label: Int)],
                     title: String) -> Figure {
        var chart = Chart(title: title, xLabel: "u", yLabel: "v")
        chart.equalAspect = true
        chart.legend = .outside   // the regions and their edges fill the plot: every corner is data
        let b = partition.slice.box
        chart.xDomain = b[0]...b[1]
        chart.yDomain = b[2]...b[3]
        if let boundary {
            let cells = boundary.cells.flatMap { $0 }
            chart.series.append(.polygons(label: nil, shapes: cells.map { zip($0.polygon.u, $0.polygon.v).map { ($0, $1) } },
                                          fills: cells.map { Palette.tint(Palette.category($0.label), 0.72) }, stroke: "none", strokeWidth: 0))
            chart.series.append(.polygons(label: nil, shapes: partition.regions.map { zip($0.polygon.u, $0.polygon.v).map { ($0, $1) } },
                                          fills: ["none"], stroke: "#ffffff", strokeWidth: 0.4))
            chart.series.append(.segments(label: "decision boundary", segments: boundary.segments, color: "#000000", width: 2.2))
        } else {
            chart.series.append(.polygons(label: nil, shapes: partition.regions.map { zip($0.polygon.u, $0.polygon.v).map { ($0, $1) } },
                                          fills: partition.regions.indices.map { Palette.tint(Palette.category($0 * 5 % 7), 0.65) },
                                          stroke: "#ffffff", strokeWidth: 0.4))
        }
        let classes = Set(points.map(\.label)).sorted()
        for c in classes {
            let subset = points.filter { $0.label == c }
            chart.series.append(.points(label: "class \(c)", x: subset.map(\.u), y: subset.map(\.v), colors: [Palette.category(c)], radius: 1.8, opacity: 0.9))
        }
        return Figure([chart], panelWidth: 620, panelHeight: 600)
    }
}
