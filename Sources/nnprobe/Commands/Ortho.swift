import ArgumentParser
import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel

/// `nnprobe ortho`: are the tasks' read-outs orthogonal?
struct Ortho: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Task read-outs over the last hidden layer: cosines and angles, per-unit attribution, interference.",
        discussion: """
            A task's read-out is the row of the output weight producing its output (a head's, for \
            every head of a multi-head model; classification and single-task models use one read-out \
            per output). Attribution of hidden unit j to task t is |w_tj| · std(h_j) over the \
            checkpoint's test split (rebuilt from its stored config); a unit is mono-functional when \
            one task holds ≥ --threshold of it, dead when it never varies. Interference of read-out i \
            is Σ_{j≠i} (ŵᵢ·w_j)². Across several checkpoints: the histogram of |cos| and the share \
            within ±--band of orthogonal (the reference study found about 40 % of 100 models so). \
            A directory packed by `nnprobe pack` (or by the sweep that trained it) is read from its \
            pack while the pack is up to date.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Share of a unit's attribution that makes it mono-functional (default 0.95).")
    var threshold = 0.95
    @Option(help: "|cos| at most this counts as orthogonal (default 0.05).")
    var band = 0.05
    @Option(help: "Bins of the |cos| histogram over [0, 1] (default 20).")
    var bins = 20
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if !(0.5...1).contains(threshold) { throw ValidationError("--threshold \(threshold): must be in [0.5, 1]") }
        if bins < 1 { throw ValidationError("--bins \(bins): must be at least 1") }
    }

    func run() throws {
        let threshold = threshold
        // A directory with a fresh pack gives its models and settings in one read; other files one by one.
        let (files, packed) = try inputs.resolvePackedCheckpoints()
        let done = PerFile.analyse(files, bar: ProgressBar(json: output.json), unit: "checkpoints") { file in
            try Self.analyse(packed[file] ?? Checkpoint.read(from: file), path: file, threshold: threshold)
        }
        try done.requireAny()
        let report = OrthoReport(files: done.values, errors: done.errors, threshold: threshold, band: band, bins: bins)
        try figure.write(OrthoFigure.make(report))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }

    /// The read-out geometry of the checkpoint at `path`.
    static func analyse(_ path: String, threshold: Double) throws -> OrthoReport.File {
        try analyse(Checkpoint.read(from: path), path: path, threshold: threshold)
    }

    /// The read-out geometry of `checkpoint`, read from `path` (or from its directory's pack).
    static func analyse(_ checkpoint: Checkpoint, path: String, threshold: Double) throws -> OrthoReport.File {
        let context = try CheckpointTask(checkpoint, file: path)
        let model = checkpoint.model
        guard model.isMultiHead || model.layers.count >= 2 else {
            throw CommandFailure("\(path): ortho needs a hidden layer under the read-out; this model is a single linear map")
        }
        let tasks: [(name: String, outputs: [Int])] = context.task.subtasks.isEmpty
            ? (0..<model.outputWidth).map { ("output_\($0)", [$0]) }
            : context.task.subtasks.map { ($0.name, $0.outputs) }
        let activations = Network<Float>(model).collectActivations(inputs: context.splits.test.inputs)
        func std(ofLayer index: Int) -> [Double] { columnStd(activations.post[index], width: model.layers[index].outputs) }
        var readouts: [OrthoReport.Readout] = []
        if model.isMultiHead {
            for (k, head) in model.heads.enumerated() {
                readouts.append(OrthoReport.Readout(
                    source: "head_\(k)", readsLayer: "layer_\(head.sourceLayer)",
                    geometry: ReadoutGeometry(weight: head.weight.converted(), tasks: tasks, unitStd: std(ofLayer: head.sourceLayer),
                                              monoThreshold: threshold)))
            }
        } else {
            let last = model.layers.count - 1
            readouts.append(OrthoReport.Readout(
                source: "layer_\(last)", readsLayer: "layer_\(last - 1)",
                geometry: ReadoutGeometry(weight: model.layers[last].weight.converted(), tasks: tasks,
                                          unitStd: std(ofLayer: last - 1), monoThreshold: threshold)))
        }
        return OrthoReport.File(file: path, readouts: readouts)
    }
}
