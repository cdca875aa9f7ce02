import ArgumentParser
import Foundation
import NNCheckpoint
import NNModel
import NNRegions
import NNTrain

/// A comma-separated list of numbers, e.g. `-1,1,-1,1`.
struct NumberList: ExpressibleByArgument {
    let values: [Double]
    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        values = parts.map { $0! }
    }
}

/// `nnprobe regions`: the exact linear regions of a ReLU network on a 2-D slice.
struct Regions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exact linear regions of a ReLU net on a 2-D input slice, with sampled counts and theoretical bounds.",
        discussion: """
            The slice is the plane of two input dimensions (--plane i,j, the others held at --at) or \
            the plane through three points (--p0, --p1, --p2; coordinates u, v along P1−P0 and P2−P0). \
            Every region is found by splitting convex polygons layer by layer (Float64; batch norm in \
            evaluation mode, residual connections and multi-head models handled); for classifiers the \
            decision boundary is found exactly inside the regions. Sampled counts (distinct activation \
            patterns on an N×N grid of the slice and among M random inputs of the whole input space) \
            are lower bounds. Bounds: one hidden layer's hyperplane arrangement Σ_{k≤n₀} C(n₁, k), \
            Montúfar et al. (2014) and Serra et al. (2018), for n₀ = 2 (the slice) and n₀ = the input \
            dimension. Tolerances: vertices within 1e-10 (relative) of a line lie on it; pieces under \
            1e-15 of the box area are dropped.
            """)

    @Argument(help: "The checkpoint (default: the newest under checkpoints/).")
    var file: String?
    @Option(help: "The two input dimensions spanning the plane (default 0,1).")
    var plane: NumberList?
    @Option(parsing: .unconditional, help: "Values of all inputs (the plane's own two are ignored); default 0 everywhere.")
    var at: NumberList?
    @Option(parsing: .unconditional, help: "With --p1 and --p2: the plane through three input points instead of --plane.")
    var p0: NumberList?
    @Option(parsing: .unconditional, help: "Second point of the plane (u = 1).")
    var p1: NumberList?
    @Option(parsing: .unconditional, help: "Third point of the plane (v = 1).")
    var p2: NumberList?
    @Option(parsing: .unconditional,
            help: "The box in slice coordinates: umin,umax,vmin,vmax (default: the task's input range, or [0,1]² with --p0).")
    var box: NumberList?
    @Option(parsing: .unconditional, help: "With --to: also count the regions the segment between two inputs crosses.")
    var from: NumberList?
    @Option(parsing: .unconditional, help: "End of the segment (with --from).")
    var to: NumberList?

    private var through: [NumberList] { [p0, p1, p2].compactMap { $0 } }
    private var line: [NumberList] { [from, to].compactMap { $0 } }
    @Option(help: "Grid points per side for the sampled count (default 256; 0 skips).")
    var grid = 256
    @Option(help: "Random inputs in the whole input space for the sampled count (default 10000; 0 skips).")
    var samples = 10_000
    @Flag(help: "Include every region's vertices, area and activation pattern, and the boundary segments, in the JSON.")
    var polygons = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if !through.isEmpty && through.count != 3 { throw ValidationError("--p0, --p1 and --p2 go together") }
        if !through.isEmpty && plane != nil { throw ValidationError("give --plane or --p0/--p1/--p2, not both") }
        if let plane, plane.values.count != 2 || plane.values.contains(where: { $0 < 0 || $0 != $0.rounded() }) {
            throw ValidationError("--plane takes two input indices, e.g. 0,1")
        }
        if let box, box.values.count != 4 || !(box.values[0] < box.values[1] && box.values[2] < box.values[3]) {
            throw ValidationError("--box takes umin,umax,vmin,vmax with umin < umax and vmin < vmax")
        }
        if !line.isEmpty && line.count != 2 { throw ValidationError("--from and --to go together") }
        if grid < 0 || samples < 0 { throw ValidationError("--grid and --samples must not be negative") }
    }

    func run() throws {
        let path = try file ?? CheckpointInputs.defaultCheckpoint()
        let checkpoint = try Checkpoint.read(from: path, training: false)
        let model = checkpoint.model
        let net: PiecewiseLinearNet
        do { net = try PiecewiseLinearNet(model) } catch let error as RegionError { throw CommandFailure("\(path): \(error)") }
        let d = model.inputWidth
        let context = try? CheckpointTask(checkpoint, file: path)   // nil for models without an nnprobe task
        let range = context?.task.inputRange ?? (-1...1)
        let slice: PlaneSlice
        if through.isEmpty {
            let axes = (plane?.values ?? [0, 1]).map { Int($0) }
            guard axes.allSatisfy({ $0 < d }), axes[0] != axes[1] else {
                throw CommandFailure("\(path): --plane \(axes.map(String.init).joined(separator: ",")) needs two different inputs below \(d)")
            }
            let point = at?.values ?? Array(repeating: 0, count: d)
            guard point.count == d else { throw CommandFailure("\(path): --at has \(point.count) values, the model takes \(d) inputs") }
            slice = .axes(axes[0], axes[1], through: point,
                          box: box?.values ?? [range.lowerBound, range.upperBound, range.lowerBound, range.upperBound])
        } else {
            guard through.allSatisfy({ $0.values.count == d }) else { throw CommandFailure("\(path): --p0/--p1/--p2 need \(d) coordinates each") }
            slice = .through(through[0].values, through[1].values, through[2].values, box: box?.values ?? [0, 1, 0, 1])
        }
        if !line.isEmpty, !line.allSatisfy({ $0.values.count == d }) {
            throw CommandFailure("\(path): --from/--to need \(d) coordinates each")
        }
        let clock = ContinuousClock()
        var partition: RegionPartition!
        let exact = clock.measure { partition = RegionPartition(net, slice: slice) }
        let boundary = model.outputWidth > 1 && (context?.task.isClassification ?? true) ? DecisionBoundary(partition) : nil
        let sampler = SampledPatterns(model)
        var gridCount: Int?
        let gridTime = clock.measure { gridCount = grid > 0 ? sampler.onGrid(slice, size: grid) : nil }
        let randomCount = samples > 0 ? sampler.random(samples, range: range, dimension: d, seed: 0) : nil
        let segment = line.isEmpty ? nil : regionsAlongSegment(net, from: line[0].values, to: line[1].values)
        let report = RegionsReport(
            file: path, partition: partition, net: net, inputDimension: d, boundary: boundary,
            grid: grid, gridCount: gridCount, samples: samples, randomCount: randomCount,
            segment: segment.map { (line[0].values, line[1].values, $0) }, polygons: polygons,
            exactSeconds: exact.seconds, gridSeconds: gridTime.seconds)
        if figure.plot != nil {
            try figure.write(RegionsFigure.make(partition, boundary: boundary, points: dataPoints(model, context: context),
                                                title: "\(shortTitle(path)): \(partition.regions.count) linear regions"))
        }
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// Up to 1,500 training points, when the slice is the task's own 2-D input plane.
    private func dataPoints(_ model: MLP, context: CheckpointTask?) -> [(u: Double, v: Double, label: Int)] {
        guard model.inputWidth == 2, through.isEmpty, let context else { return [] }
        let data = context.splits.train
        let flip = (plane?.values.first ?? 0) == 1
        return (0..<min(1500, data.count)).map { r in
            let x = Double(data.inputs[2 * r]), y = Double(data.inputs[2 * r + 1])
            return (flip ? y : x, flip ? x : y, Int(data.labels?[r] ?? 0))
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
