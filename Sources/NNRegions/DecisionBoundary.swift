/// Where a classifier's arg-max changes, found exactly inside every linear region: each region
/// is cut into arg-max cells (class k's cell is where logit_k ≥ logit_m for every m, a convex
/// polygon), and cell edges lying on a line logit_k = logit_m are the boundary (each reported
/// once, from the lower class). The output is continuous, so the boundary never jumps at
/// region edges.
public struct DecisionBoundary: Sendable {
    /// Boundary segments: [u1, v1, u2, v2].
    public let segments: [[Double]]
    /// Total length in (u, v) units.
    public let length: Double
    /// Per region, its arg-max cells with their class.
    public let cells: [[(polygon: ConvexPolygon, label: Int)]]

    public init(_ partition: RegionPartition) {
        let classes = partition.outputWidth
        let box = partition.slice.box
        let extent = max(box[1] - box[0], box[3] - box[2])
        let minimumArea = 1e-15 * partition.slice.boxArea
        var segments: [[Double]] = []
        var cells: [[(polygon: ConvexPolygon, label: Int)]] = []
        for region in partition.regions {
            let map = region.outputMap
            func difference(_ k: Int, _ m: Int) -> (a: Double, b: Double, c: Double, tolerance: Double) {
                let a = map[3 * k] - map[3 * m], b = map[3 * k + 1] - map[3 * m + 1], c = map[3 * k + 2] - map[3 * m + 2]
                return (a, b, c, 1e-10 * (abs(a) * extent + abs(b) * extent + abs(c)))
            }
            var regionCells: [(polygon: ConvexPolygon, label: Int)] = []
            for k in 0..<classes {
                var cell: ConvexPolygon? = region.polygon
                for m in 0..<classes where m != k {
                    guard let current = cell else { break }
                    let d = difference(k, m)
                    if abs(d.a) * extent + abs(d.b) * extent <= d.tolerance {
                        // Parallel logits: one class wins the whole region (ties to the lower index).
                        if d.c < 0 || (abs(d.c) <= d.tolerance && m < k) { cell = nil }
                        continue
                    }
                    cell = current.split(a: d.a, b: d.b, c: d.c, tolerance: d.tolerance).positive
                }
                if let cell, cell.area > minimumArea { regionCells.append((cell, k)) }
            }
            let labels = Set(regionCells.map(\.label)).sorted()   // sorted: segments and length in a fixed order
            for (cell, k) in regionCells {
                for m in labels where m > k {
                    let d = difference(k, m)
                    let slack = 1e-9 * (abs(d.a) * extent + abs(d.b) * extent + abs(d.c))
                    for i in 0..<cell.count {
                        let j = i + 1 == cell.count ? 0 : i + 1
                        if abs(d.a * cell.u[i] + d.b * cell.v[i] + d.c) <= slack, abs(d.a * cell.u[j] + d.b * cell.v[j] + d.c) <= slack {
                            segments.append([cell.u[i], cell.v[i], cell.u[j], cell.v[j]])
                        }
                    }
                }
            }
            cells.append(regionCells)
        }
        self.segments = segments
        length = segments.reduce(0) { sum, s in sum + ((s[2] - s[0]) * (s[2] - s[0]) + (s[3] - s[1]) * (s[3] - s[1])).squareRoot() }
        self.cells = cells
    }
}
