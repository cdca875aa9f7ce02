import ArgumentParser
import NNAnalysis
import NNCheckpoint
import NNLinalg
import NNModel
import NNModelAnalyses

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
            A conv net's read-outs are its heads' linear layers (with --heads-on stages, each stage's \
            head over that stage's pooled channels) or its last linear layer (over a CNN's last fc \
            units, a ResNet's pooled channels); heads reading different features get no angle \
            between them, only between their own task read-outs. A classifier's tasks are its outputs. \
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
        let done = PerFile.analyse(files, bar: ProgressBar(), unit: "checkpoints") { file in
            try OrthoReport.File(packed[file] ?? Checkpoint.read(from: file, training: false, convNets: true), path: file, threshold: threshold)
        }
        try done.requireAny()
        let report = OrthoReport(files: done.values, errors: done.errors, threshold: threshold, band: band, bins: bins)
        try figure.write(OrthoFigure.make(report))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}
