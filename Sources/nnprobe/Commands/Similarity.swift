import ArgumentParser
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses

/// `nnprobe similarity`: how alike the representations of several nets (or of one net's layers) are.
struct Similarity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Representation similarity (CKA, debiased CKA, Procrustes, angular, SVCCA) across nets or layers.",
        discussion: """
            Several files: each layer (or --layer) is compared across the nets, one K×K matrix per \
            measure and the distribution of its K(K−1)/2 off-diagonal values. One file (or \
            --layers-of FILE): its layers against each other. Every net sees the same rows: those \
            of the first file — a checkpoint's test split (rebuilt from its config and seed), or \
            with --vary TASK that sub-task's probe grid, or a dump's own inputs. Checkpoints are run \
            on those rows; a dump whose inputs are not exactly those rows in that order is refused. \
            (A file that cannot be read is named on stderr and left out; the rows are then the first \
            readable file's.) \
            Measures, on centred rows, in Float64: linear CKA; debiased CKA (Song et al.'s unbiased \
            HSIC, near 0 for unrelated nets even with few rows and many units); Procrustes distance \
            √(2 − 2‖XᵀY‖_*) and angular distance arccos ‖XᵀY‖_* (radians) of unit-norm X, Y \
            (Williams et al. 2021; different widths as if zero-padded); SVCCA (top directions \
            holding 99 % of the variance, then the mean canonical correlation). All pairs come \
            from the p×p cross-covariances, never an n×n Gram matrix.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Only this layer (0-based; default: every layer all the nets have).")
    var layer: Int?
    @Option(help: "Which measure, or all of them.")
    var measure: MeasureSelection = .all
    @Option(name: .customLong("layers-of"), help: ArgumentHelp("Compare the layers of this one file with each other.", valueName: "file"))
    var layersOf: String?
    @Option(help: "Rows for checkpoints: all (the first checkpoint's test split) or a sub-task whose inputs sweep the probe grid (default all).")
    var vary: VariedInputs = .all
    @OptionGroup(title: "Probe grid (checkpoints, with --vary TASK)") var probe: ProbeGridOptions
    @Flag(help: "Use pre-activations (before the nonlinearity) instead of layer outputs.")
    var pre = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if layersOf != nil, !inputs.paths.isEmpty {
            throw ValidationError("--layers-of compares the layers of one file; give no other files with it")
        }
        if layersOf != nil, let layer { throw ValidationError("--layers-of compares every layer; drop --layer \(layer)") }
    }

    func run() throws {
        let files = try layersOf.map { [$0] } ?? inputs.resolve()
        if files.count == 1, let layer {
            throw CommandFailure("\(files[0]): --layer \(layer) picks a layer to compare across nets; with one file every layer is compared with every other, so drop --layer")
        }
        let (vary, probe, pre, layer) = (vary, probe, pre, layer)
        // The rows of the first file that has them; a damaged file before it is reported below, as any other.
        guard let rows = files.lazy.compactMap({ try? Self.rows(of: $0, vary: vary, probe: probe) }).first else {
            try PerFile.analyse(files) { file in try AnalysisFlags.naming(file) { try Self.rows(of: file, vary: vary, probe: probe) } }.requireAny()
            throw CommandFailure("no rows to compare on")
        }
        let done = PerFile.analyse(files, concurrently: true, bar: ProgressBar(), unit: "files") { file in
            try AnalysisFlags.naming(file) {
                let representations = try Self.representations(of: file, on: rows, pre: pre)
                if let layer, layer >= representations.layers.count {   // named per file, not for the first
                    throw AnalysisError.activationLayerOutOfRange(layer, count: representations.layers.count)
                }
                return representations
            }
        }
        try done.requireAny()
        let measures = measure.measures
        let comparisons: [RepresentationSimilarity.Comparison]
        if files.count == 1 {
            comparisons = [try RepresentationSimilarity.acrossLayers(done.values[0], measures: measures)]
        } else {
            guard done.values.count >= 2 else { try done.finish(); throw CommandFailure("fewer than two files to compare") }
            let layers = try AnalysisFlags.naming(files[0]) { try RepresentationSimilarity.sharedLayers(done.values, layer: layer) }
            comparisons = try RepresentationSimilarity.acrossModels(done.values, layers: layers, measures: measures)
        }
        let good = files.filter { file in !done.errors.contains { $0.file == file } }
        let report = SimilarityReport(files: good, rows: rows, preActivations: pre, measures: measures,
                                      comparisons: comparisons, errors: done.errors)
        try figure.write(SimilarityFigure.make(report))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }

    /// The rows of the file at `path` (a checkpoint or a dump) that every file is compared on.
    static func rows(of path: String, vary: VariedInputs, probe: ProbeGridOptions) throws -> SimilarityRows {
        switch try NNProbeFile.open(path).kind {
        case .activations:
            return try SimilarityRows(ActivationDumpReader(path: path))
        case .checkpoint:
            let checkpoint = try Checkpoint.read(from: path, training: false)
            return try SimilarityRows(checkpoint, task: CheckpointTask(checkpoint), vary: vary, gridSize: probe.grid,
                                      contexts: probe.contexts, file: path)
        }
    }

    /// Every layer's activations of the checkpoint or dump at `path` on `rows`.
    static func representations(of path: String, on rows: SimilarityRows, pre: Bool) throws -> LayerRepresentations {
        let (root, kind) = try NNProbeFile.open(path)
        switch kind {
        case .activations:   // opened once: with 100 small dumps, opening is most of the reading time
            return try LayerRepresentations(ActivationDumpReader(path: path, root: root), matching: rows, preActivations: pre)
        case .checkpoint:
            return try LayerRepresentations(Checkpoint.read(from: path, training: false), on: rows, preActivations: pre)
        }
    }
}

/// `--measure`: one measure, or all of them.
enum MeasureSelection: ExpressibleByArgument, Equatable {
    case all
    case one(SimilarityMeasure)

    init?(argument: String) {
        if argument == "all" { self = .all } else if let m = SimilarityMeasure(rawValue: argument) { self = .one(m) } else { return nil }
    }

    /// The measures, in `SimilarityMeasure`'s order.
    var measures: [SimilarityMeasure] {
        switch self {
        case .all: SimilarityMeasure.allCases
        case .one(let m): [m]
        }
    }

    static var allValueStrings: [String] { SimilarityMeasure.allCases.map(\.rawValue) + ["all"] }
}
