import NNAnalysis
import NNRegions

/// The exact linear regions of a ReLU net on a 2-D slice, sampled counts and bounds
/// (`nnprobe regions`; schema `nnprobe.regions/1`, see docs/json.md).
public struct RegionsReport: Encodable, Sendable {
    public struct Slice: Encodable, Sendable { public let origin, first, second, box: [Double] }
    public struct Sampled: Encodable, Sendable {
        public let points: Int
        public let distinctPatterns: Int
        public let lowerBound = true
        enum CodingKeys: String, CodingKey { case points; case distinctPatterns = "distinct_patterns"; case lowerBound = "lower_bound" }
    }
    public struct Segment: Encodable, Sendable { public let from, to: [Double]; public let regions: Int }
    public struct Bounds: Encodable, Sendable {
        public let inputDimension: Int
        public let widths: [Int]
        public let hyperplaneArrangement: Double
        public let montufar: Double
        public let serra: Double
        enum CodingKeys: String, CodingKey {
            case widths, montufar, serra
            case inputDimension = "input_dimension", hyperplaneArrangement = "hyperplane_arrangement"
        }
        /// The bounds for input dimension `n0` and ReLU layer widths `widths`.
        public init(_ n0: Int, _ widths: [Int]) {
            inputDimension = n0
            self.widths = widths
            hyperplaneArrangement = RegionBounds.hyperplaneArrangement(inputs: n0, hyperplanes: widths.first ?? 0)
            montufar = RegionBounds.montufar(inputs: n0, widths: widths)
            serra = RegionBounds.serra(inputs: n0, widths: widths)
        }
    }
    public struct Boundary: Encodable, Sendable {
        public let length: Double
        public let argmaxCells: Int
        public let segments: [[Double]]?
        enum CodingKeys: String, CodingKey { case length, segments; case argmaxCells = "argmax_cells" }
    }
    public struct Region: Encodable, Sendable {
        public let vertices: [[Double]]
        public let area: Double
        public let pattern: [String]
    }
    public struct PatternLayer: Encodable, Sendable {
        public let name: String
        public let kind: String
        public let units: Int
    }
    public struct Timing: Encodable, Sendable {
        public let exactSeconds: Double
        public let gridSeconds: Double
        public let regionsPerSecond: Double
        enum CodingKeys: String, CodingKey {
            case exactSeconds = "exact_seconds", gridSeconds = "grid_seconds", regionsPerSecond = "regions_per_second"
        }
    }

    public let schema = "nnprobe.regions/1"
    public let file: String
    public let slice: Slice
    public let nRegions: Int
    public let countsAfterLayer: [Int]
    public let area: DistributionSummary
    public let totalArea: Double
    public let grid: Sampled?
    public let random: Sampled?
    public let segment: Segment?
    /// For plain ReLU nets (no max pooling, no skip connections); nil otherwise.
    public let boundsSlice: Bounds?
    public let boundsInput: Bounds?
    /// What each string of a region's `pattern` is: one per ReLU step (a 0/1 per unit) and per
    /// max-pooling step (per window its chosen position ky·k + kx, one base-36 digit); nil for MLPs.
    public let patternLayers: [PatternLayer]?
    public let decisionBoundary: Boundary?
    public let regions: [Region]?
    public let timing: Timing

    enum CodingKeys: String, CodingKey {
        case schema, file, slice, area, grid, random, segment, regions, timing
        case nRegions = "n_regions", countsAfterLayer = "counts_after_layer", totalArea = "total_area"
        case boundsSlice = "bounds_slice", boundsInput = "bounds_input", decisionBoundary = "decision_boundary"
        case patternLayers = "pattern_layers"
    }

    /// `widths`: the ReLU widths bounds are computed for (nil: no bounds); `layout`: the
    /// pattern's steps (nil: an MLP's, one string per ReLU layer of `widths`).
    init(file: String, partition p: RegionPartition, widths: [Int]?, layout: [(name: String, units: Int, maxPool: Bool)]?,
         inputDimension: Int, boundary: DecisionBoundary?,
         grid: Int, gridCount: Int?, samples: Int, randomCount: Int?, segment: ([Double], [Double], Int)?,
         polygons: Bool, exactSeconds: Double, gridSeconds: Double) {
        self.file = file
        slice = Slice(origin: p.slice.origin, first: p.slice.first, second: p.slice.second, box: p.slice.box)
        nRegions = p.regions.count
        countsAfterLayer = p.countsAfterLayer
        area = DistributionSummary(p.regions.map(\.polygon.area))
        totalArea = p.totalArea
        self.grid = gridCount.map { Sampled(points: grid * grid, distinctPatterns: $0) }
        random = randomCount.map { Sampled(points: samples, distinctPatterns: $0) }
        self.segment = segment.map { Segment(from: $0.0, to: $0.1, regions: $0.2) }
        boundsSlice = widths.map { Bounds(2, $0) }
        boundsInput = widths.map { Bounds(inputDimension, $0) }
        patternLayers = layout?.map { PatternLayer(name: $0.name, kind: $0.maxPool ? "max_pool" : "relu", units: $0.units) }
        decisionBoundary = boundary.map { Boundary(length: $0.length, argmaxCells: $0.cells.reduce(0) { $0 + $1.count },
                                                   segments: polygons ? $0.segments : nil) }
        let layerWidths = layout?.map(\.units) ?? widths ?? []
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        regions = polygons ? p.regions.map { r in
            var offset = 0
            let perLayer = layerWidths.map { w -> String in
                defer { offset += w }
                return String(r.pattern[offset..<(offset + w)].map { digits[min(Int($0), 35)] })
            }
            return Region(vertices: zip(r.polygon.u, r.polygon.v).map { [$0, $1] }, area: r.polygon.area, pattern: perLayer)
        } : nil
        timing = Timing(exactSeconds: exactSeconds, gridSeconds: gridSeconds,
                        regionsPerSecond: exactSeconds > 0 ? Double(p.regions.count) / exactSeconds : .infinity)
    }
}
