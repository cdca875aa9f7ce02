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
            gradient flow, read-out orthogonality (multi-task models and conv nets) and the linear-region \
            map (2-input ReLU models). A conv net's spectra are each conv layer's operator spectrum \
            (`svd --view` gives the others), its read-outs those `ortho` takes. Several: a table of \
            runs, every run's curves faint with their mean, norms, the |cos| histogram, and the first checkpoint's spectra. A sweep directory (with its \
            index.json) is grouped as `summary` groups it, by every swept flag but the seed: a group \
            table, each group's mean curves, and each group's mean ± std norms. Norms of more than 8 \
            ungrouped checkpoints are drawn the same way, as one group.
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

    /// One checkpoint as the page uses it: read once, with its weight matrices and norms.
    typealias Run = (path: String, checkpoint: Checkpoint, weights: ModelWeights, norms: WeightNorms)

    func run() throws {
        // A checkpoint that cannot be read or has non-finite weights is named on stderr and left
        // out of the page; the page is still written, and the exit status is 1.
        let done = PerFile.analyse(try inputs.resolve()) { path in
            let checkpoint = try Checkpoint.read(from: path, convNets: true)   // read once: norms and spectra come from it too
            let weights = try checkpoint.layers.map { layers in try AnalysisFlags.naming(path) { try ModelWeights(layers) } } ?? ModelWeights(checkpoint.model)
            return (path: path, checkpoint: checkpoint, weights: weights, norms: try WeightNorms(of: weights, file: path))
        }
        try done.requireAny()
        let grouped = ReportGroups(done.values, inputs: inputs.paths)
        let runs = grouped.runs
        var page = HTMLPage(title: title ?? grouped.summary.map { "\(shortName($0.directory)): \(runs.count) runs" }
                            ?? (runs.count == 1 ? shortName(runs[0].path) : "\(runs.count) checkpoints"))
        var figures = FigureNumbering()
        overview(of: grouped, on: &page)
        try analyses(of: grouped, on: &page, figures: &figures)
        try writeAtomically(page.html(), to: out)
        print("wrote \(out)")
        try done.finish()
    }

    /// Provenance, model and config of one checkpoint; for several, the group table (a sweep's)
    /// and the table of runs: names without their directory, the swept values, numbers alike per
    /// column and right-aligned.
    private func overview(of grouped: ReportGroups, on page: inout HTMLPage) {
        let runs = grouped.runs
        guard runs.count == 1 else {
            if let summary = grouped.summary {
                let headers = summary.tableHeaders
                page.section("Groups", "<p>\(HTMLPage.escape(summary.headline))</p>"
                             + HTMLPage.table(headers, summary.tableRows, numeric: Set(summary.by.count..<headers.count))
                             + (summary.bestLabel.map { "<p>best (lowest mean validation loss): \(HTMLPage.escape($0))</p>" } ?? ""))
            }
            let metrics: [(String, (Checkpoint) -> Double)] = [
                ("val loss", { $0.history.valLoss.last ?? .nan }), ("val accuracy", { $0.history.valAccuracy.last ?? .nan }),
                ("test loss", { $0.history.testLoss }), ("test accuracy", { $0.history.testAccuracy }),
            ]
            let columns = metrics.map { _, value in formatColumn(runs.map { value($0.checkpoint) }) }
            let headers = ["run"] + grouped.keys + ["seed", "status"] + metrics.map(\.0)
            let rows = runs.enumerated().map { i, run in
                [shortName(run.path)] + grouped.keys.map { grouped.parameters[run.path]?[$0] ?? "" }
                    + [String(run.checkpoint.seed), run.checkpoint.status.rawValue] + columns.map { $0[i] }
            }
            // Swept values right-aligned where every one is a number; the seed and metrics always.
            let numeric = Set((1..<(grouped.keys.count + 1)).filter { column in rows.allSatisfy { Double($0[column]) != nil } })
                .union([grouped.keys.count + 1]).union((grouped.keys.count + 3)..<headers.count)
            page.section("Runs", HTMLPage.table(headers, rows, numeric: numeric))
            return
        }
        let c = runs[0].checkpoint
        page.section("Checkpoint", HTMLPage.table(["field", "value"], [
            ["file", runs[0].path], ["task", c.task], ["seed", String(c.seed)], ["status", c.status.rawValue],
            ["written", "nnprobe \(c.nnprobeVersion), \(c.created)"], ["parameters", String(c.layerModel.parameterCount)],
            ["test loss", formatNumber(c.history.testLoss)], ["test accuracy", formatNumber(c.history.testAccuracy)],
        ]))
        if c.isLayerStack, let model = InspectReport.checkpoint(c, file: runs[0].path).model {
            page.section("Model", HTMLPage.table(["layer", "op", "weight shape", "parameters", "activation", "reads"],
                (model.layers + model.heads).map { l in
                    [l.name, l.kind, l.weightShape.isEmpty ? "–" : l.weightShape.map(String.init).joined(separator: "×"),
                     String(l.parameterCount), l.activation, l.sourceLayer.map { "block\($0)" } ?? "–"]
                }, numeric: [3]))
            page.section("Configuration", "<pre>\(HTMLPage.escape(prettyJSON(c.config)))</pre>")
            return
        }
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
    /// With groups (a sweep's), each group's mean curves and norms, not one mean over them all.
    private func analyses(of grouped: ReportGroups, on page: inout HTMLPage, figures: inout FigureNumbering) throws {
        let runs = grouped.runs
        if grouped.groups.count > 1 {
            let curves = grouped.groups.map { group in
                (label: group.label, histories: group.runs.map(\.checkpoint.history).filter { $0.epochs > 0 })
            }.filter { !$0.histories.isEmpty }
            if !curves.isEmpty {
                page.section("Learning curves", "<p>Each group's mean bold, its runs faint.</p>"
                             + figures.svg(GroupFigure.make(curves, smoothing: smooth, title: "")))
            }
        } else {
            let histories = runs.filter { $0.checkpoint.history.epochs > 0 }.map { (shortName($0.path), $0.checkpoint.history) }
            if !histories.isEmpty {
                page.section("Learning curves", figures.svg(TrainingFigure.make(histories, smoothing: smooth, title: "")))
            }
        }
        let first = runs[0], name = shortName(runs[0].path)
        let spectra = try FileError.naming(first.path) { try AnalysisFlags.naming(first.path) { try LayerSpectrum.of(first.weights) } }
        page.section("Weight spectra (\(name))",
                     (first.checkpoint.isLayerStack ? "<p>Each conv layer's spectrum as an operator on the input size it sees in the model (see <code>nnprobe svd --view</code> for the flattened and per-position views); linear layers' matrices as they are.</p>" : "")
                     + figures.svg(SpectrumFigure.make(spectra, title: "")))
        let norms = grouped.groups.count > 1
            ? NormsFigure.make(groups: grouped.groups.map { ($0.label, $0.runs.map(\.norms)) })
            : NormsFigure.make(runs.map(\.norms))
        page.section("Weight norms", figures.svg(norms))
        if let flow = try? GradientFlowSummary(first.checkpoint.gradients, file: first.path) {
            page.section("Gradient flow (\(name))", figures.svg(GradsFigure.make(flow)))
        }
        let task = try? CheckpointTask(first.checkpoint)
        if let task, task.task.subtasks.count >= 2 || first.checkpoint.isLayerStack {
            // A conv net's read-outs over the features they read (every class's, for a classifier).
            do {
                let files = try runs.map { try OrthoReport.File($0.checkpoint, path: $0.path, threshold: 0.95) }
                let notes = Set(files.compactMap(\.note)).sorted().map { "<p>\(HTMLPage.escape($0)).</p>" }.joined()
                let features = files.first?.readouts.compactMap(\.features) ?? []
                page.section("Read-out orthogonality",
                             (features.isEmpty ? "" : "<p>Read-outs of \(HTMLPage.escape(name)) over: \(HTMLPage.escape(features.joined(separator: "; "))).</p>")
                             + notes + figures.svg(OrthoFigure.make(OrthoReport(files: files, threshold: 0.95, band: 0.05, bins: 20))))
            } catch {
                page.section("Read-out orthogonality", "<p>Not drawn: \(HTMLPage.escape(FileError.message(error)))</p>")
            }
        }
        guard !first.checkpoint.isLayerStack else { return }   // linear-region maps are for MLPs
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
