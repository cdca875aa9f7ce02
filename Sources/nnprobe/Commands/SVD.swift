import ArgumentParser
import NNAnalysis
import NNLinalg

/// `nnprobe svd`: weight spectra per layer.
struct SVD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svd",
        abstract: "Singular values of weight matrices and what they say (ranks, norms, near-equal groups, random-matrix edge).",
        discussion: """
            Float64 LAPACK (gesdd) on every layer (and head), any size down to 1×1. Numerical rank \
            counts σ > σ₁·max(m, n)·2⁻²³ (float32 precision). Near-equal groups are runs of leading \
            values whose relative gap is under --group-tolerance. The random-matrix edge is \
            s(√m + √n) with s = ‖W‖_F/√(mn). Safetensors files are read directly (every 2-D tensor \
            is a layer). With several checkpoints, each is reported and then the distribution of \
            every metric across them.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Only this layer (0-based, as everywhere in nnprobe).")
    var layer: Int?
    @Flag(help: "Include the singular vectors U and Vᵀ in the JSON.")
    var vectors = false
    @Option(help: "k for 'energy in the top k' and the number of singular values in the table (default 3).")
    var top = 3
    @Option(help: "Relative gap under which consecutive singular values count as near-equal (default 0.05).")
    var groupTolerance = 0.05
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func validate() throws {
        if top < 1 { throw ValidationError("--top \(top): must be at least 1") }
        if !(groupTolerance >= 0) { throw ValidationError("--group-tolerance must not be negative") }
    }

    func run() throws {
        let files = try inputs.resolve(accepting: ["h5", "safetensors"])
        let bar = ProgressBar(json: output.json)
        var reports: [SVDReport.File] = []
        for (i, path) in files.enumerated() {
            let model = try ModelFile.load(path, allowSafeTensors: true)
            let layers = try model.select(layer: layer).map { entry in
                SVDReport.Layer(name: entry.name, spectrum: try Spectrum(entry.weight.converted(to: Double.self), vectors: vectors,
                                                                         groupTolerance: groupTolerance), top: top)
            }
            reports.append(SVDReport.File(file: path, layers: layers))
            bar.update(done: i + 1, total: files.count, detail: "\(i + 1)/\(files.count) files")
        }
        bar.finish()
        let report = SVDReport(files: reports, top: top, groupTolerance: groupTolerance)
        try figure.write(SpectrumFigure.make(reports[0].layers, title: shortTitle(reports[0].file, limit: 60)))
        if output.json { try printJSON(report) } else { print(report.text()) }
    }
}
