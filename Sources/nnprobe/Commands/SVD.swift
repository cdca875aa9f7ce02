import ArgumentParser
import NNAnalysis
import NNModelAnalyses

/// `nnprobe svd`: weight spectra per layer.
struct SVD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "svd",
        abstract: "Singular values of weight matrices and what they say (ranks, norms, near-equal groups, random-matrix edge).",
        discussion: """
            Float64 LAPACK on every layer (and head), any size down to 1×1: singular values as \
            √ of the Gram matrix's eigenvalues (syrk + syevd) where that is within ~1e-8 of gesdd, \
            gesdd itself otherwise and with --vectors. Numerical rank counts \
            σ > σ₁·max(m, n)·2⁻²³ (float32 precision). Near-equal groups are runs of leading values \
            whose relative gap is under --group-tolerance. The random-matrix edge is s(√m + √n) with \
            s = ‖W‖_F/√(mn). Safetensors files are read directly (every 2-D tensor is a layer). With \
            several checkpoints, each is reported and then the distribution of every metric across \
            them. Files are decomposed side by side on all cores, and so are the \
            large layers of one file. A directory packed by `nnprobe pack` (or by the sweep that \
            trained it) is read from its pack while the pack is up to date.
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
        // A directory with a fresh pack is read in one go; other files one by one.
        let (files, packed) = try inputs.resolvePacked(accepting: ["h5", "safetensors"])
        let (layer, vectors, top, groupTolerance) = (layer, vectors, top, groupTolerance)
        // Files are decomposed side by side.
        let done = PerFile.analyse(files, concurrently: true, bar: ProgressBar()) { file in
            let model = try ModelFile.load(file, packed: packed[file], allowSafeTensors: true, weightsOnly: true)
            return SVDReport.File(file: file, seed: model.seed, layers: try AnalysisFlags.naming(file) {
                try LayerSpectrum.of(model.weights, layer: layer, vectors: vectors, groupTolerance: groupTolerance, top: top)
            })
        }
        try done.requireAny()
        let report = SVDReport(files: done.values, errors: done.errors, top: top, groupTolerance: groupTolerance)
        try figure.write(SpectrumFigure.make(report.files[0].layers, title: shortTitle(report.files[0].file, limit: 60)))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}
