import ArgumentParser
import Foundation
import NNCheckpoint
import NNModelAnalyses

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
        abstract: "Exact linear regions of a ReLU net (MLP or conv net) on a 2-D input slice, with sampled counts and theoretical bounds.",
        discussion: """
            The slice is the plane of two input dimensions (--plane i,j, the others held at --at), \
            the plane through three points (--p0, --p1, --p2; coordinates u, v along P1−P0 and P2−P0), \
            or the plane through three images (--images i,j,k: rows of the checkpoint task's test \
            split, or of --inputs FILE.h5; u, v as for --p0/--p1/--p2). Every region is found by \
            splitting convex polygons layer by layer (Float64; batch norm in evaluation mode, residual \
            connections and multi-head models handled). Conv nets (convolutions, batch norm, ReLU, \
            max and average pooling, residual blocks, heads on stages) carry on each piece the affine \
            map of every value of every layer; a max pooling splits pieces where two entries of a \
            window tie, and a region's pattern records each window's choice. For classifiers the \
            decision boundary is found exactly inside the regions. Sampled counts (distinct activation \
            patterns on an N×N grid of the slice and among M random inputs of the whole input space) \
            are lower bounds. Bounds (plain ReLU nets only): one hidden layer's hyperplane arrangement \
            Σ_{k≤n₀} C(n₁, k), Montúfar et al. (2014) and Serra et al. (2018), for n₀ = 2 (the slice) \
            and n₀ = the input dimension. Tolerances: vertices within 1e-10 (relative) of a line lie on \
            it; pieces under 1e-15 of the box area are dropped. Cost: regions grow about as the \
            square of the first layer's units; on the plane through three Fashion-MNIST test images \
            shrunk to H×H (box [0,1]²), a cnn of 8 channels and fc 16 takes under 10 s up to 14×14 \
            (245,000 regions), a ResNet of blocks 1, base width 4, heads on stages up to 10×10 \
            (322,000 regions); a smaller --box covers larger images (docs/regions-conv.md).
            """)

    @Argument(help: "The checkpoint (default: the newest under checkpoints/).", completion: .file(extensions: ["h5"]))
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
    @Option(help: "Three input rows, e.g. 0,1,2: the plane through them (rows of the task's test split, or of --inputs).")
    var images: NumberList?
    @Option(help: "With --images: an HDF5 file of inputs (N × C × H × W or N × width) to take the rows from.",
            completion: .file(extensions: ["h5", "hdf5"]))
    var inputs: String?
    @Option(help: "The inputs' dataset in the --inputs file.")
    var dataset = "inputs"
    @Option(parsing: .unconditional, help: "With --to: also count the regions the segment between two inputs crosses (MLPs).")
    var from: NumberList?
    @Option(parsing: .unconditional, help: "End of the segment (with --from).")
    var to: NumberList?

    private var through: [NumberList] { [p0, p1, p2].compactMap { $0 } }
    private var line: [NumberList] { [from, to].compactMap { $0 } }
    @Option(help: "Grid points per side for the sampled count (default 256 for MLPs, 64 for conv nets; 0 skips).")
    var grid: Int?
    @Option(help: "Random inputs in the whole input space for the sampled count (default 10000 for MLPs, 0 for conv nets; 0 skips).")
    var samples: Int?
    @Option(help: "Refuse a slice with more linear regions than this (each region holds its polygon, pattern and output map).")
    var maxRegions = 1_000_000
    @Flag(help: "Include every region's vertices, area and activation pattern, and the boundary segments, in the JSON.")
    var polygons = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if !through.isEmpty && through.count != 3 { throw ValidationError("--p0, --p1 and --p2 go together") }
        if [!through.isEmpty, plane != nil, images != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --plane, --p0/--p1/--p2 and --images")
        }
        if let images, images.values.count != 3 || images.values.contains(where: { $0 < 0 || $0 != $0.rounded() || $0 > 1e15 }) {
            throw ValidationError("--images takes three row indices, e.g. 0,1,2")
        }
        if inputs != nil && images == nil { throw ValidationError("--inputs goes with --images (the three rows to take from it)") }
        if maxRegions < 1 { throw ValidationError("--max-regions must be at least 1") }
        if let plane, plane.values.count != 2 || plane.values.contains(where: { $0 < 0 || $0 != $0.rounded() }) {
            throw ValidationError("--plane takes two input indices, e.g. 0,1")
        }
        if let box, box.values.count != 4 || !(box.values[0] < box.values[1] && box.values[2] < box.values[3]) {
            throw ValidationError("--box takes umin,umax,vmin,vmax with umin < umax and vmin < vmax")
        }
        if !line.isEmpty && line.count != 2 { throw ValidationError("--from and --to go together") }
        if (grid ?? 0) < 0 || (samples ?? 0) < 0 { throw ValidationError("--grid and --samples must not be negative") }
        // Each sampled point is a forward pass: 4096² ≈ 16.8 million points is seconds to a minute; more is refused.
        if let grid, grid > 4096 { throw ValidationError("--grid \(grid): \(grid)² points are too many to sample; at most 4096 per side") }
        if let samples, samples > 16_777_216 { throw ValidationError("--samples \(samples): at most 16,777,216") }
    }

    /// The slice, segment and sampling the flags ask for; `rows` are the --inputs file's values.
    func settings(rows: [Float]? = nil) -> LinearRegions.Settings {
        let axes = (plane?.values ?? [0, 1]).map { Int($0) }
        let plane: LinearRegions.Plane
        if let images {
            let (i, j, k) = (Int(images.values[0]), Int(images.values[1]), Int(images.values[2]))
            plane = rows.map { .rows(i, j, k, inputs: $0, source: inputs ?? "") } ?? .testImages(i, j, k)
        } else {
            plane = through.isEmpty ? .axes(axes[0], axes[1], at: at?.values) : .through(through[0].values, through[1].values, through[2].values)
        }
        return .init(plane: plane, box: box?.values, segment: line.isEmpty ? nil : (line[0].values, line[1].values),
                     grid: grid, samples: samples, polygons: polygons, maxRegions: maxRegions)
    }

    func run() throws {
        let path = try file ?? CheckpointInputs.defaultCheckpoint()
        let checkpoint = try Checkpoint.read(from: path, training: false, convNets: true)
        let model = checkpoint.layerModel
        let task = try? CheckpointTask(checkpoint)   // nil for models without an nnprobe task
        let rows = try inputs.map { try PredictionFile.examples($0, dataset: dataset, shape: model.stack.input).values }
        let settings = settings(rows: rows)
        let bar = ProgressBar()
        let regions = try AnalysisFlags.naming(path) {
            try LinearRegions.of(model, task: task, settings: settings, file: path) { bar.update(done: Int($0 * 1000), total: 1000, detail: "of the slice") }
        }
        bar.finish()
        let points = regions.points.isEmpty ? LinearRegions.trainingPoints(of: task, model: checkpoint.model, plane: settings.plane) : regions.points
        try figure.write(RegionsFigure.make(regions.partition, boundary: regions.boundary, points: points,
                                            title: "\(shortTitle(path)): \(regions.partition.regions.count) linear regions"))
        if output.json { try printJSON(regions.report) } else { print(regions.report.text()) }
    }
}
