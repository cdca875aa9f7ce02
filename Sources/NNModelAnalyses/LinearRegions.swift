import NNModel
import NNRegions

/// The exact linear regions of a ReLU net on a 2-D input slice, with sampled counts and bounds:
/// what `nnprobe regions` reports.
public enum LinearRegions {
    /// The 2-D slice of the input space.
    public enum Plane: Sendable {
        /// Inputs `i` and `j` (setting `plane`), the others held at `at` (setting `at`; 0 when nil).
        case axes(Int, Int, at: [Double]?)
        /// The plane through three inputs (settings `p0`, `p1`, `p2`): u along p1 − p0, v along p2 − p0.
        case through([Double], [Double], [Double])
        /// The plane through three rows of the task's test split (setting `images`), as `through`.
        case testImages(Int, Int, Int)
        /// The plane through three rows of `inputs` (rows × the model's inputs, read from `source`;
        /// setting `images`), as `through`.
        case rows(Int, Int, Int, inputs: [Float], source: String)
    }

    /// What to compute.
    public struct Settings: Sendable {
        public var plane: Plane
        /// The box in slice coordinates, umin,umax,vmin,vmax (default: the task's input range on
        /// both axes, or [0,1]² for a plane through three points).
        public var box: [Double]?
        /// Also count the regions the segment between two inputs crosses (settings `from`, `to`).
        public var segment: (from: [Double], to: [Double])?
        /// Grid points per side for the sampled count on the slice (0 skips; nil: 256 for an
        /// MLP, 64 for a conv net, whose forward passes cost more).
        public var grid: Int?
        /// Random inputs of the whole input space for the sampled count (0 skips; nil: 10,000 for
        /// an MLP, none for a conv net, where random images all differ in pattern).
        public var samples: Int?
        /// Keep every region's polygon and pattern, and the boundary segments, in the report.
        public var polygons: Bool
        /// Regions at most (setting `max-regions`): a slice holding more is refused, not held in memory.
        public var maxRegions: Int

        /// What `nnprobe regions` does by default: inputs 0 and 1 through the origin, a 256² grid, 10,000 random inputs.
        public init(plane: Plane = .axes(0, 1, at: nil), box: [Double]? = nil, segment: (from: [Double], to: [Double])? = nil,
                    grid: Int? = nil, samples: Int? = nil, polygons: Bool = false, maxRegions: Int = 1_000_000) {
            self.plane = plane
            self.box = box
            self.segment = segment
            self.grid = grid
            self.samples = samples
            self.polygons = polygons
            self.maxRegions = maxRegions
        }
    }

    /// The report, and the partition and decision boundary it summarises (for figures).
    public struct Result: Sendable {
        public let report: RegionsReport
        public let partition: RegionPartition
        public let boundary: DecisionBoundary?
        /// Points to mark on the figure (the three images of `Plane.testImages`, with their labels).
        public let points: [(u: Double, v: Double, label: Int)]
    }

    /// The regions of `model` on the slice of `settings`; `task` (nil for a model without an
    /// nnprobe task) gives the input range and whether there is a decision boundary (classifiers).
    /// `file` names the model in the report. Throws `AnalysisError` for a model the analysis does
    /// not apply to, or slice settings that do not fit the model's inputs, or a slice with more
    /// than `settings.maxRegions` regions. The partition is the general one
    /// (`PiecewiseLinearProgram`), which gives an MLP's regions as `PiecewiseLinearNet` does, bit
    /// for bit; `progress` hears the share of the box done.
    public static func of(_ model: MLP, task: CheckpointTask?, settings: Settings, file: String,
                          progress: ((Double) -> Void)? = nil) throws(AnalysisError) -> Result {
        let net: PiecewiseLinearNet, program: PiecewiseLinearProgram
        do {
            net = try PiecewiseLinearNet(model)
            program = try PiecewiseLinearProgram(LayerModel(model))
        } catch { throw .regionsUnsupported(reason: String(describing: error)) }
        let d = model.inputWidth
        let range = task?.task.inputRange ?? (-1...1)
        let slice = try slice(settings, inputs: d, range: range, task: task)
        let (gridSize, samples) = (settings.grid ?? 256, settings.samples ?? 10_000)
        if let segment = settings.segment, segment.from.count != d || segment.to.count != d {
            throw .pointWidth(key: "from/to", count: nil, inputs: d)
        }
        let clock = ContinuousClock()
        let limits = RegionPartition.Limits(maxRegions: settings.maxRegions, keepPatterns: true, progress: progress)
        var partition: RegionPartition?   // nil: more regions than the limit (the partition's only error)
        let exact = clock.measure { partition = try? RegionPartition(program, slice: slice, limits: limits) }
        guard let partition else { throw .tooManyRegions(limit: settings.maxRegions) }
        let boundary = model.outputWidth > 1 && (task?.task.isClassification ?? true) ? DecisionBoundary(partition) : nil
        let sampler = SampledPatterns(model)
        var gridCount: Int?
        let gridTime = clock.measure { gridCount = gridSize > 0 ? sampler.onGrid(slice, size: gridSize) : nil }
        let randomCount = samples > 0 ? sampler.random(samples, range: range, dimension: d, seed: 0) : nil
        let crossed = settings.segment.map { regionsAlongSegment(net, from: $0.from, to: $0.to) }
        let report = RegionsReport(
            file: file, partition: partition, widths: net.reluWidths, layout: nil, inputDimension: d, boundary: boundary,
            grid: gridSize, gridCount: gridCount, samples: samples, randomCount: randomCount,
            segment: settings.segment.flatMap { s in crossed.map { (s.from, s.to, $0) } }, polygons: settings.polygons,
            exactSeconds: exact.seconds, gridSeconds: gridTime.seconds)
        return Result(report: report, partition: partition, boundary: boundary, points: imagePoints(settings.plane, task: task))
    }

    /// The slice `settings` describes for a model of `inputs` inputs whose task (`task`, when
    /// there is one) spans `range`.
    static func slice(_ settings: Settings, inputs d: Int, range: ClosedRange<Double>, task: CheckpointTask?) throws(AnalysisError) -> PlaneSlice {
        switch settings.plane {
        case .axes(let i, let j, let at):
            guard i < d, j < d, i != j else { throw .planeAxes([i, j], inputs: d) }
            let point = at ?? Array(repeating: 0, count: d)
            guard point.count == d else { throw .pointWidth(key: "at", count: point.count, inputs: d) }
            return .axes(i, j, through: point, box: settings.box ?? [range.lowerBound, range.upperBound, range.lowerBound, range.upperBound])
        case .through(let p0, let p1, let p2):
            guard [p0, p1, p2].allSatisfy({ $0.count == d }) else { throw .pointWidth(key: "p0/p1/p2", count: nil, inputs: d) }
            return .through(p0, p1, p2, box: settings.box ?? [0, 1, 0, 1])
        case .testImages(let i, let j, let k):
            guard let test = task?.splits.test else {
                throw .regionsUnsupported(reason: "the checkpoint has no nnprobe task, so it has no test split to take images from; pass an HDF5 file of inputs")
            }
            let rows = try [i, j, k].map { r throws(AnalysisError) -> [Double] in
                guard r >= 0 && r < test.count else { throw .rowOutOfRange(key: "images", row: r, source: "the test split", count: test.count) }
                return test.inputs[(r * d)..<((r + 1) * d)].map(Double.init)
            }
            return .through(rows[0], rows[1], rows[2], box: settings.box ?? [0, 1, 0, 1])
        case .rows(let i, let j, let k, let inputs, let source):
            let count = inputs.count / max(1, d)
            let rows = try [i, j, k].map { r throws(AnalysisError) -> [Double] in
                guard r >= 0 && r < count else { throw .rowOutOfRange(key: "images", row: r, source: source, count: count) }
                return inputs[(r * d)..<((r + 1) * d)].map(Double.init)
            }
            return .through(rows[0], rows[1], rows[2], box: settings.box ?? [0, 1, 0, 1])
        }
    }

    /// The three images of a plane through test images, at (0, 0), (1, 0) and (0, 1), with their
    /// labels (for figures); empty for other planes and tasks without labels.
    static func imagePoints(_ plane: Plane, task: CheckpointTask?) -> [(u: Double, v: Double, label: Int)] {
        guard case .testImages(let i, let j, let k) = plane, let labels = task?.splits.test.labels else { return [] }
        return zip([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], [i, j, k]).map { ($0.0, $0.1, Int(labels[$1])) }
    }

    /// Up to 1,500 training points of `task` in slice coordinates, when the slice is the task's own
    /// 2-D input plane (a 2-input model, a plane of two axes); empty otherwise.
    public static func trainingPoints(of task: CheckpointTask?, model: MLP, plane: Plane) -> [(u: Double, v: Double, label: Int)] {
        guard model.inputWidth == 2, case .axes(let i, _, _) = plane, let task else { return [] }
        let data = task.splits.train
        let flip = i == 1
        return (0..<min(1500, data.count)).map { r in
            let x = Double(data.inputs[2 * r]), y = Double(data.inputs[2 * r + 1])
            return (flip ? y : x, flip ? x : y, Int(data.labels?[r] ?? 0))
        }
    }

    /// The regions of a 2-input `model` on its whole input box (`range` on both axes), with the
    /// decision boundary when `boundary`; nil when the analysis does not apply to the model.
    public static func inputPlane(of model: MLP, range: ClosedRange<Double>, boundary: Bool) -> (partition: RegionPartition, boundary: DecisionBoundary?)? {
        guard model.inputWidth == 2, let net = try? PiecewiseLinearNet(model) else { return nil }
        let slice = PlaneSlice.axes(0, 1, through: [0, 0], box: [range.lowerBound, range.upperBound, range.lowerBound, range.upperBound])
        let partition = RegionPartition(net, slice: slice)
        return (partition, boundary ? DecisionBoundary(partition) : nil)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
