import ArgumentParser
import NNAnalysis
import NNCheckpoint

/// `nnprobe norms`: weight norms per layer and head, several checkpoints side by side.
struct Norms: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Frobenius and spectral norms and parameter counts per layer and head, checkpoints side by side.",
        discussion: "The reference comparison: single-head vs multi-head models (their head norms come out roughly equal). Safetensors files are read directly. A directory packed by `nnprobe pack` (or by the sweep that trained it) is read from its pack while the pack is up to date.")

    @OptionGroup var inputs: CheckpointInputs
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    struct Entry: Encodable, Sendable {
        let name: String
        let kind: String
        let shape: [Int]
        let parameterCount: Int
        let frobeniusNorm: Double
        let spectralNorm: Double
        enum CodingKeys: String, CodingKey {
            case name, kind, shape
            case parameterCount = "parameter_count", frobeniusNorm = "frobenius_norm", spectralNorm = "spectral_norm"
        }
    }

    struct File: Encodable, Sendable {
        let file: String
        let parameterCount: Int
        let entries: [Entry]
        enum CodingKeys: String, CodingKey { case file, entries; case parameterCount = "parameter_count" }
    }

    struct Report: Encodable {
        let schema = "nnprobe.norms/1"
        let files: [File]
        /// The files that could not be analysed (key absent when none).
        let errors: [FileError]?
        let distribution: NamedDistributions?
        /// For a run's `--save-every` snapshots: each Frobenius norm over epochs.
        let timeline: Timeline?
    }

    /// Norms and parameter counts of every layer and head of one file.
    /// - Parameter packed: the checkpoint's tensors from its directory's pack, when there is a fresh one.
    static func analyse(_ path: String, packed: PackedModel? = nil) throws -> File {
        try analyse(packed.map { ModelFile(path: path, packed: $0) } ?? ModelFile.load(path, allowSafeTensors: true), packed: packed)
    }

    /// Norms and parameter counts of every layer and head of a model already read.
    static func analyse(_ model: ModelFile, packed: PackedModel? = nil) throws -> File {
        let path = model.path
        let spectra = try Spectrum.of(model.matrices.map(\.weight), names: model.matrices.map { model.label(of: $0.name) })
        let entries = zip(model.matrices, spectra).map { m, s -> Entry in
            // Bias, and batch norm's γ and β: what `DenseLayer.parameterCount` counts besides the weight.
            let biasCount: Int
            if let packed {
                biasCount = ["bias", "gamma", "beta"].reduce(0) { $0 + (packed.tensor("\(m.name)/\($1)")?.values.count ?? 0) }
            } else {
                biasCount = model.checkpoint.map { c in
                    m.isHead ? c.model.heads[Int(m.name.dropFirst(5))!].bias.count
                             : c.model.layers[Int(m.name.dropFirst(6))!].parameterCount - m.weight.storage.count
                } ?? 0
            }
            return Entry(name: m.name, kind: m.isHead ? "head" : "layer", shape: [m.weight.rows, m.weight.cols],
                         parameterCount: m.weight.storage.count + biasCount,
                         frobeniusNorm: s.frobeniusNorm, spectralNorm: s.spectralNorm)
        }
        return File(file: path, parameterCount: entries.reduce(0) { $0 + $1.parameterCount }, entries: entries)
    }

    func run() throws {
        let (paths, packed) = try inputs.resolvePacked(accepting: ["h5", "safetensors"])
        let done = PerFile.analyse(paths) { try Self.analyse($0, packed: packed[$0]) }
        try done.requireAny()
        let files = done.values
        let spread = files.count > 1
            ? NamedDistributions(entries: distributions(files.flatMap { $0.entries.map { (key: $0.name, value: $0.frobeniusNorm) } }))
            : nil
        let timeline = Timeline(files: files.map(\.file)) { i in files[i].entries.map { ($0.name, $0.frobeniusNorm) } }
        let report = Report(files: files, errors: done.errors.isEmpty ? nil : done.errors, distribution: spread, timeline: timeline)
        try figure.write(NormsFigure.make(files))
        if output.json {
            try printJSON(report)
            return try done.finish()
        }
        var table = TextTable("file", "layer/head", "shape", "params", "‖W‖F", "‖W‖₂")
        for file in files {
            for e in file.entries {
                table.add(file.file, e.name, "\(e.shape[0])×\(e.shape[1])", String(e.parameterCount),
                          formatNumber(e.frobeniusNorm), formatNumber(e.spectralNorm))
            }
        }
        print(table.render())
        if let spread {
            print("\nFrobenius norm across \(files.count) files (mean ± std [min, max]):")
            var summary = TextTable("layer/head", "‖W‖F")
            for (name, d) in spread.entries { summary.add(name, d.text) }
            print(summary.render())
        }
        if let timeline { print("\n" + timeline.text(title: "Frobenius norm")) }
        try done.finish()
    }
}
