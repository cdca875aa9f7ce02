import ArgumentParser
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses

/// `nnprobe norms`: weight norms per layer and head, several checkpoints side by side.
struct Norms: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Frobenius and spectral norms and parameter counts per layer and head, checkpoints side by side.",
        discussion: "The reference comparison: single-head vs multi-head models (their head norms come out roughly equal). Safetensors files are read directly. A directory packed by `nnprobe pack` (or by the sweep that trained it) is read from its pack while the pack is up to date.")

    @OptionGroup var inputs: CheckpointInputs
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    struct Report: Encodable {
        let schema = "nnprobe.norms/1"
        let files: [WeightNorms]
        /// The files that could not be analysed (key absent when none).
        let errors: [FileError]?
        let distribution: NamedDistributions?
        /// For a run's `--save-every` snapshots: each Frobenius norm over epochs.
        let timeline: Timeline?
    }

    func run() throws {
        let (paths, packed) = try inputs.resolvePacked(accepting: ["h5", "safetensors"])
        let done = PerFile.analyse(paths) { path in
            let model = try packed[path].map { ModelFile(path: path, packed: $0) } ?? ModelFile.load(path, allowSafeTensors: true)
            return try WeightNorms(of: model.weights, file: path)
        }
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
