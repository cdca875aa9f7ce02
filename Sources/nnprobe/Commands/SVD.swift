import ArgumentParser
import NNAnalysis
import NNLinalg

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
            them. Large layers are decomposed side by side on all cores; 400 files or more are read \
            by one process per core.
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
    /// Internal, for `SpectraShards`: read the files listed in this file …
    @Option(help: .hidden) var shardOf: String?
    /// … and write their singular values here, instead of reporting.
    @Option(help: .hidden) var shardTo: String?

    func validate() throws {
        if top < 1 { throw ValidationError("--top \(top): must be at least 1") }
        if !(groupTolerance >= 0) { throw ValidationError("--group-tolerance must not be negative") }
    }

    func run() throws {
        if let shardOf, let shardTo { return try SpectraShards.serve(list: shardOf, output: shardTo, layer: layer) }
        let files = try inputs.resolve(accepting: ["h5", "safetensors"])
        let bar = ProgressBar(json: output.json)
        let reports = try !vectors && SpectraShards.shardCount(files: files.count) > 1
            ? analyseInShards(files, bar: bar)
            : files.enumerated().map { try analyse($1, number: $0 + 1, of: files.count, bar: bar) }
        bar.finish()
        let report = SVDReport(files: reports, top: top, groupTolerance: groupTolerance)
        try figure.write(SpectrumFigure.make(reports[0].layers, title: shortTitle(reports[0].file, limit: 60)))
        if output.json { try printJSON(report) } else { print(report.text()) }
    }

    /// One file, its matrices decomposed side by side when they are large.
    private func analyse(_ file: String, number: Int, of count: Int, bar: ProgressBar) throws -> SVDReport.File {
        let selected = try ModelFile.load(file, allowSafeTensors: true, weightsOnly: true).select(layer: layer)
        let spectra = try Spectrum.of(selected.map(\.weight), vectors: vectors, groupTolerance: groupTolerance)
        bar.update(done: number, total: count, detail: "\(number)/\(count) files")
        return SVDReport.File(file: file, layers: zip(selected, spectra).map { SVDReport.Layer(name: $0.name, spectrum: $1, top: top) })
    }

    /// Many files, read by one process per core (`SpectraShards`).
    private func analyseInShards(_ files: [String], bar: ProgressBar) throws -> [SVDReport.File] {
        let shards = SpectraShards.shardCount(files: files.count)
        let values = try SpectraShards.singularValues(of: files, layer: layer) { done, own in
            bar.update(done: done, total: own, detail: "\(files.count) files in \(shards) processes")
        }
        return zip(files, values).map { file, matrices in
            SVDReport.File(file: file, layers: matrices.map {
                SVDReport.Layer(name: $0.name, spectrum: Spectrum(rows: $0.rows, cols: $0.cols, singularValues: $0.singularValues,
                                                                  groupTolerance: groupTolerance), top: top)
            })
        }
    }
}
