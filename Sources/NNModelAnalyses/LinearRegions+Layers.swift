import NNModel
import NNRegions

extension LinearRegions {
    /// The regions of any model on the slice of `settings`: an MLP as `of(_:task:settings:file:progress:)`
    /// (its report as before conv nets were covered), any other stack — conv, batch norm in evaluation mode, ReLU,
    /// max and average pooling, residual blocks, heads — through `PiecewiseLinearProgram`.
    /// `progress` hears the share of the box done. Throws `AnalysisError` for a model with
    /// layers that are not piecewise linear, slice settings that do not fit its inputs, or a
    /// slice with more than `settings.maxRegions` regions.
    public static func of(_ model: LayerModel, task: CheckpointTask?, settings: Settings, file: String,
                          progress: ((Double) -> Void)? = nil) throws(AnalysisError) -> Result {
        if let mlp = model.mlp { return try of(mlp, task: task, settings: settings, file: file, progress: progress) }
        let program: PiecewiseLinearProgram
        do { program = try PiecewiseLinearProgram(model) } catch { throw .regionsUnsupported(reason: String(describing: error)) }
        guard settings.segment == nil else {
            throw .regionsUnsupported(reason: "the regions along a segment (from/to) are counted for MLPs only")
        }
        let d = model.stack.input.count
        let range = task?.task.inputRange ?? (-1...1)
        let slice = try slice(settings, inputs: d, range: range, task: task)
        let (gridSize, samples) = (settings.grid ?? 64, settings.samples ?? 0)
        let clock = ContinuousClock()
        let limits = RegionPartition.Limits(maxRegions: settings.maxRegions, keepPatterns: settings.polygons, progress: progress)
        var partition: RegionPartition?   // nil: more regions than the limit (the partition's only error)
        let exact = clock.measure { partition = try? RegionPartition(program, slice: slice, limits: limits) }
        guard let partition else { throw .tooManyRegions(limit: settings.maxRegions) }
        let classifier = program.outputWidth > 1 && (task?.task.isClassification ?? true)
        let boundary = classifier ? DecisionBoundary(partition) : nil
        let sampler: SampledPatterns
        do { sampler = try SampledPatterns(model) } catch { throw .regionsUnsupported(reason: String(describing: error)) }
        var gridCount: Int?
        let gridTime = clock.measure { gridCount = gridSize > 0 ? sampler.onGrid(slice, size: gridSize) : nil }
        let randomCount = samples > 0 ? sampler.random(samples, range: range, dimension: d, seed: 0) : nil
        // Region bounds are theorems about plain ReLU nets: none for max pooling or skip connections.
        let plain = !program.hasMaxPooling && !program.steps.contains { if case .add = $0.operation { true } else { false } }
        let report = RegionsReport(
            file: file, partition: partition, widths: plain ? program.patternLayout.map(\.units) : nil,
            layout: program.patternLayout, inputDimension: d, boundary: boundary,
            grid: gridSize, gridCount: gridCount, samples: samples, randomCount: randomCount, segment: nil, polygons: settings.polygons,
            exactSeconds: exact.seconds, gridSeconds: gridTime.seconds)
        return Result(report: report, partition: partition, boundary: boundary, points: imagePoints(settings.plane, task: task))
    }
}
