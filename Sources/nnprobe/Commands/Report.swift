import ArgumentParser
import Foundation
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses
import NNTasks
import NNPlot

/// `nnprobe report`: one self-contained HTML page for a checkpoint or a sweep.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page (figures inline, tables, config) for a checkpoint or a sweep.",
        discussion: """
            One checkpoint: provenance, model, metrics, config, learning curves, weight spectra, norms, \
            gradient flow, read-out orthogonality (multi-task models) and the linear-region map \
            (2-input ReLU models). Several: a table of runs, every run's curves faint with their mean, \
            norms side by side, the |cos| histogram, and the first checkpoint's spectra.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "The HTML file to write (e.g. analyses/NAME.html).", completion: .file(extensions: ["html"]))
    var out: String
    @Option(help: "Moving-average window (epochs) for the learning curves (default 1: none).")
    var smooth = 1
    @Option(help: "Title of the page (default: the first checkpoint's name).")
    var title: String?

    func validate() throws {
        if smooth < 1 { throw ValidationError("--smooth \(smooth): must be at least 1") }
    }

    /// One checkpoint as the page uses it: read once, with its norms.
    typealias Run = (path: String, checkpoint: Checkpoint, norms: WeightNorms)

    func run() throws {
        // A checkpoint that cannot be read or has non-finite weights is named on stderr and left
        // out of the page; the page is still written, and the exit status is 1.
        let done = PerFile.analyse(try inputs.resolve()) { path in
            let checkpoint = try Checkpoint.read(from: path)   // read once: norms and spectra come from it too
            return (path: path, checkpoint: checkpoint, norms: try WeightNorms(of: ModelWeights(checkpoint.model), file: path))
        }
        try done.requireAny()
        var page = HTMLPage(title: title ?? (done.values.count == 1 ? shortName(done.values[0].path) : "\(done.values.count) checkpoints"))
        var figures = FigureNumbering()
        overview(of: done.values, on: &page)
        try analyses(of: done.values, on: &page, figures: &figures)
        try writeAtomically(page.html(), to: out)
        print("wrote \(out)")
        try done.finish()
    }

    /// Provenance, model and config of one checkpoint, or the table of runs of several.
    private func overview(of runs: [Run], on page: inout HTMLPage) {
        guard runs.count == 1 else {
            page.section("Runs", HTMLPage.table(["file", "task", "seed", "status", "val loss", "val accuracy", "test loss", "test accuracy"],
                runs.map { path, c, _ in
                    [path, c.task, String(c.seed), c.status.rawValue, formatNumber(c.history.valLoss.last ?? .nan),
                     formatNumber(c.history.valAccuracy.last ?? .nan), formatNumber(c.history.testLoss), formatNumber(c.history.testAccuracy)]
                }))
            return
        }
        let c = runs[0].checkpoint
        page.section("Checkpoint", HTMLPage.table(["field", "value"], [
            ["file", runs[0].path], ["task", c.task], ["seed", String(c.seed)], ["status", c.status.rawValue],
            ["written", "nnprobe \(c.nnprobeVersion), \(c.created)"], ["parameters", String(c.model.parameterCount)],
            ["test loss", formatNumber(c.history.testLoss)], ["test accuracy", formatNumber(c.history.testAccuracy)],
        ]))
        page.section("Model", HTMLPage.table(["layer", "shape (out × in)", "activation", "batch norm", "residual", "dropout"],
            c.model.layers.enumerated().map { i, l in
                ["layer_\(i)", "\(l.outputs) × \(l.inputs)", l.activation.rawValue, l.batchNorm == nil ? "–" : "yes",
                 l.residual ? "yes" : "–", l.dropout > 0 ? formatNumber(l.dropout) : "–"]
            } + c.model.heads.enumerated().map { k, h in
                ["head_\(k) (reads layer_\(h.sourceLayer))", "\(h.weight.rows) × \(h.weight.cols)", "identity", "–", "–", "–"]
            }))
        page.section("Configuration", "<pre>\(HTMLPage.escape(prettyJSON(c.config)))</pre>")
    }

    /// Learning curves and norms of every run; spectra, gradient flow, read-out orthogonality
    /// (multi-task) and linear regions (2-input ReLU models) of the first, from the checkpoints already read.
    private func analyses(of runs: [Run], on page: inout HTMLPage, figures: inout FigureNumbering) throws {
        let histories = runs.filter { $0.checkpoint.history.epochs > 0 }.map { (shortName($0.path), $0.checkpoint.history) }
        if !histories.isEmpty {
            page.section("Learning curves", figures.svg(TrainingFigure.make(histories, smoothing: smooth, title: "")))
        }
        let first = runs[0], name = shortName(runs[0].path)
        let spectra = try FileError.naming(first.path) { try LayerSpectrum.of(ModelWeights(first.checkpoint.model)) }
        page.section("Weight spectra (\(name))", figures.svg(SpectrumFigure.make(spectra, title: "")))
        page.section("Weight norms", figures.svg(NormsFigure.make(runs.map(\.norms))))
        if let flow = try? GradientFlowSummary(first.checkpoint.gradients, file: first.path) {
            page.section("Gradient flow (\(name))", figures.svg(GradsFigure.make(flow)))
        }
        let task = try? CheckpointTask(first.checkpoint)
        if let task, task.task.subtasks.count >= 2 {
            let files = try runs.map { try OrthoReport.File($0.checkpoint, path: $0.path, threshold: 0.95) }
            page.section("Read-out orthogonality", figures.svg(OrthoFigure.make(OrthoReport(files: files, threshold: 0.95, band: 0.05, bins: 20))))
        }
        let model = first.checkpoint.model
        if let map = LinearRegions.inputPlane(of: model, range: task?.task.inputRange ?? (-1...1), boundary: model.outputWidth > 1) {
            page.section("Linear regions (\(name))",
                         "<p>\(map.partition.regions.count) linear regions on the input box; after each layer: "
                         + map.partition.countsAfterLayer.map(String.init).joined(separator: ", ") + ".</p>"
                         + figures.svg(RegionsFigure.make(map.partition, boundary: map.boundary, points: [], title: "")))
        }
    }

    private func prettyJSON(_ text: String) -> String {
        guard let value = JSONValue.parse(text), let pretty = try? JSONOutput.encode(value) else { return text }
        return pretty
    }
}

/// Gives each inline figure of a page its own id prefix (`f1_`, `f2_`, …), so their SVG ids do not clash.
struct FigureNumbering {
    private var count = 0

    /// The figure's SVG, its ids prefixed with the next number.
    mutating func svg(_ figure: Figure) -> String {
        var figure = figure
        count += 1
        figure.idPrefix = "f\(count)_"
        return figure.svg()
    }
}
