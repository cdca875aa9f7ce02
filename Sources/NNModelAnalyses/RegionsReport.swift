import NNAnalysis
import NNRegions

/// The document `regions` prints (schema `nnprobe.regions/1`, see docs/json.md).
struct RegionsReport: Encodable {
    struct Slice: Encodable { let origin, first, second, box: [Double] }
    struct Sampled: Encodable {
        let points: Int
        let distinctPatterns: Int
        let lowerBound = true
        enum CodingKeys: String, CodingKey { case points; case distinctPatterns = "distinct_patterns"; case lowerBound = "lower_bound" }
    }
    struct Segment: Encodable { let from, to: [Double]; let regions: Int }
    struct Bounds: Encodable {
        let inputDimension: Int
        let widths: [Int]
        let hyperplaneArrangement: Double
        let montufar: Double
        let serra: Double
        enum CodingKeys: String, CodingKey {
            case widths, montufar, serra
            case inputDimension = "input_dimension", hyperplaneArrangement = "hyperplane_arrangement"
        }
        init(_ n0: Int, _ widths: [Int]) {
            inputDimension = n0
            self.widths = widths
            hyperplaneArrangement = RegionBounds.hyperplaneArrangement(inputs: n0, hyperplanes: widths.first ?? 0)
            montufar = RegionBounds.montufar(inputs: n0, widths: widths)
            serra = RegionBounds.serra(inputs: n0, widths: widths)
        }
    }
    struct Boundary: Encodable {
        let length: Double
        let argmaxCells: Int
        let segments: [[Double]]?
        enum CodingKeys: String, CodingKey { case length, segments; case argmaxCells = "argmax_cells" }
    }
    struct Region: Encodable {
        let vertices: [[Double]]
        let area: Double
        let pattern: [String]
    }
    struct Timing: Encodable {
        let exactSeconds: Double
        let gridSeconds: Double
        let regionsPerSecond: Double
        enum CodingKeys: String, CodingKey {
            case exactSeconds = "exact_seconds", gridSeconds = "grid_seconds", regionsPerSecond = "regions_per_second"
        }
    }

    let schema = "nnprobe.regions/1"
    let file: String
    let slice: Slice
    let nRegions: Int
    let countsAfterLayer: [Int]
    let area: DistributionJSON
    let totalArea: Double
    let grid: Sampled?
    let random: Sampled?
    let segment: Segment?
    let boundsSlice: Bounds
    let boundsInput: Bounds
    let decisionBoundary: Boundary?
    let regions: [Region]?
    let timing: Timing

    enum CodingKeys: String, CodingKey {
        case schema, file, slice, area, grid, random, segment, regions, timing
        case nRegions = "n_regions", countsAfterLayer = "counts_after_layer", totalArea = "total_area"
        case boundsSlice = "bounds_slice", boundsInput = "bounds_input", decisionBoundary = "decision_boundary"
    }

    init(file: String, partition p: RegionPartition, net: PiecewiseLinearNet, inputDimension: Int, boundary: DecisionBoundary?,
         grid: Int, gridCount: Int?, samples: Int, randomCount: Int?, segment: ([Double], [Double], Int)?,
         polygons: Bool, exactSeconds: Double, gridSeconds: Double) {
        self.file = file
        slice = Slice(origin: p.slice.origin, first: p.slice.first, second: p.slice.second, box: p.slice.box)
        nRegions = p.regions.count
        countsAfterLayer = p.countsAfterLayer
        area = DistributionJSON(p.regions.map(\.polygon.area))
        totalArea = p.totalArea
        self.grid = gridCount.map { Sampled(points: grid * grid, distinctPatterns: $0) }
        random = randomCount.map { Sampled(points: samples, distinctPatterns: $0) }
        self.segment = segment.map { Segment(from: $0.0, to: $0.1, regions: $0.2) }
        let widths = net.reluWidths
        boundsSlice = Bounds(2, widths)
        boundsInput = Bounds(inputDimension, widths)
        decisionBoundary = boundary.map { Boundary(length: $0.length, argmaxCells: $0.cells.reduce(0) { $0 + $1.count },
                                                   segments: polygons ? $0.segments : nil) }
        let layerWidths = widths
        regions = polygons ? p.regions.map { r in
            var offset = 0
            let perLayer = layerWidths.map { w -> String in
                defer { offset += w }
                return r.pattern[offset..<(offset + w)].map(String.init).joined()
            }
            return Region(vertices: zip(r.polygon.u, r.polygon.v).map { [$0, $1] }, area: r.polygon.area, pattern: perLayer)
        } : nil
        timing = Timing(exactSeconds: exactSeconds, gridSeconds: gridSeconds,
                        regionsPerSecond: exactSeconds > 0 ? Double(p.regions.count) / exactSeconds : .infinity)
    }

    func text() -> String {
        var lines = [
            "\(file): \(nRegions) linear regions on the slice box \(slice.box.map { formatNumber($0) }.joined(separator: ","))"
                + "  (exact, \(formatNumber(timing.exactSeconds * 1000, digits: 3)) ms)",
            "after each layer: " + countsAfterLayer.enumerated().map { "layer_\($0.offset) \($0.element)" }.joined(separator: ", "),
            "region areas: median \(formatNumber(area.median)), min \(formatNumber(area.min)), max \(formatNumber(area.max)); total \(formatNumber(totalArea))",
        ]
        if let grid { lines.append("sampled, \(Int(Double(grid.points).squareRoot()))² grid on the slice: \(grid.distinctPatterns) patterns (lower bound, \(formatNumber(timing.gridSeconds * 1000, digits: 3)) ms)") }
        if let random { lines.append("sampled, \(random.points) random inputs in the whole input space: \(random.distinctPatterns) patterns (lower bound)") }
        if let segment { lines.append("segment: crosses \(segment.regions) regions") }
        var table = TextTable("bound", "n₀ = 2 (slice)", "n₀ = \(boundsInput.inputDimension) (input)")
        table.add("one layer, Σ C(n₁, k)", formatNumber(boundsSlice.hyperplaneArrangement), formatNumber(boundsInput.hyperplaneArrangement))
        table.add("Montúfar et al. 2014 (reachable)", formatNumber(boundsSlice.montufar), formatNumber(boundsInput.montufar))
        table.add("Serra et al. 2018 (upper)", formatNumber(boundsSlice.serra), formatNumber(boundsInput.serra))
        lines.append("bounds for ReLU widths \(boundsSlice.widths.map(String.init).joined(separator: "-")):")
        lines.append(table.render())
        if let b = decisionBoundary {
            lines.append("decision boundary: length \(formatNumber(b.length)) in slice units, \(b.argmaxCells) arg-max cells")
        }
        return lines.joined(separator: "\n")
    }
}
