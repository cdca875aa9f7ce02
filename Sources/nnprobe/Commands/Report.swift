import ArgumentParser
import Foundation
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses
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
    @Option(help: "The HTML file to write (e.g. analyses/NAME.html).")
    var out: String
    @Option(help: "Moving-average window (epochs) for the learning curves (default 1: none).")
    var smooth = 1
    @Option(help: "Title of the page (default: the first checkpoint's name).")
    var title: String?

    func validate() throws {
        if smooth < 1 { throw ValidationError("--smooth \(smooth): must be at least 1") }
    }

    func run() throws {
        // A checkpoint that cannot be read or has non-finite weights is named on stderr and left
        // out of the page; the page is still written, and the exit status is 1.
        let done = PerFile.analyse(try inputs.resolve()) { path in
            let checkpoint = try Checkpoint.read(from: path)   // read once: norms and spectra come from it too
            return (path: path, checkpoint: checkpoint, norms: try WeightNorms(of: ModelWeights(checkpoint.model), file: path))
        }
        try done.requireAny()
        let paths = done.values.map(\.path), checkpoints = done.values.map(\.checkpoint)
        var page = HTMLPage(title: title ?? (paths.count == 1 ? shortName(paths[0]) : "\(paths.count) checkpoints"))
        var figureCount = 0
        func figure(_ f: Figure) -> String {
            var f = f
            figureCount += 1
            f.idPrefix = "f\(figureCount)_"
            return f.svg()
        }

        if checkpoints.count == 1 {
            let c = checkpoints[0]
            page.section("Checkpoint", HTMLPage.table(["field", "value"], [
                ["file", paths[0]], ["task", c.task], ["seed", String(c.seed)], ["status", c.status.rawValue],
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
        } else {
            page.section("Runs", HTMLPage.table(["file", "task", "seed", "status", "val loss", "val accuracy", "test loss", "test accuracy"],
                zip(paths, checkpoints).map { path, c in
                    [path, c.task, String(c.seed), c.status.rawValue, formatNumber(c.history.valLoss.last ?? .nan),
                     formatNumber(c.history.valAccuracy.last ?? .nan), formatNumber(c.history.testLoss), formatNumber(c.history.testAccuracy)]
                }))
        }
        let histories = zip(paths, checkpoints).filter { $0.1.history.epochs > 0 }.map { (shortName($0.0), $0.1.history) }
        if !histories.isEmpty {
            page.section("Learning curves", figure(TrainingFigure.make(histories, smoothing: smooth, title: "")))
        }
        let first = (path: paths[0], checkpoint: checkpoints[0])
        let spectra = try FileError.naming(first.path) { try LayerSpectrum.of(ModelWeights(first.checkpoint.model)) }
        page.section("Weight spectra (\(shortName(first.path)))", figure(SpectrumFigure.make(spectra, title: "")))
        page.section("Weight norms", figure(NormsFigure.make(done.values.map(\.norms))))
        if let flow = try? GradientFlowSummary(first.checkpoint.gradients, file: first.path) {
            page.section("Gradient flow (\(shortName(first.path)))", figure(GradsFigure.make(flow)))
        }
        let firstTask = try? CheckpointTask(first.checkpoint)
        if let firstTask, firstTask.task.subtasks.count >= 2 {
            // Ortho's analysis stays in its command for now (its owner is reworking it).
            let files = try paths.map { try Ortho.analyse($0, threshold: 0.95) }
            page.section("Read-out orthogonality", figure(OrthoFigure.make(OrthoReport(files: files, threshold: 0.95, band: 0.05, bins: 20))))
        }
        let model = first.checkpoint.model
        if let map = LinearRegions.inputPlane(of: model, range: firstTask?.task.inputRange ?? (-1...1), boundary: model.outputWidth > 1) {
            page.section("Linear regions (\(shortName(first.path)))",
                         "<p>\(map.partition.regions.count) linear regions on the input box; after each layer: "
                         + map.partition.countsAfterLayer.map(String.init).joined(separator: ", ") + ".</p>"
                         + figure(RegionsFigure.make(map.partition, boundary: map.boundary, points: [], title: "")))
        }
        try writeAtomically(page.html(), to: out)
        print("wrote \(out)")
        try done.finish()
    }

    private func prettyJSON(_ text: String) -> String {
        guard let value = JSONValue.parse(text), let pretty = try? JSONOutput.encode(value) else { return text }
        return pretty
    }
}
