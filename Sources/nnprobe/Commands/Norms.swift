import ArgumentParser
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses

/// `nnprobe norms`: weight norms per layer and head, several checkpoints side by side.
struct Norms: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Frobenius and spectral norms and parameter counts per layer and head, checkpoints side by side.",
        discussion: "The reference comparison: single-head vs multi-head models (their head norms come out roughly equal). Safetensors files are read directly. A directory packed by `nnprobe pack` (or by the sweep that trained it) is read from its pack while the pack is up to date. --plot draws a bar per checkpoint for up to 8 of them; for more, each layer's mean ± std over all of them, every checkpoint a dot.")

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Only these layers: an index (0-based, heads not counted), a layer's name (block2.main.0, head1.1), a block's (block2), a stage's (stage2) or torchvision's (layer2.0.conv1).")
    var layer: LayerAddress?
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func run() throws {
        let (paths, packed) = try inputs.resolvePacked(accepting: ["h5", "safetensors"])
        let layer = layer
        let done = PerFile.analyse(paths) { path in
            let weights = try ModelFile.load(path, packed: packed[path], allowSafeTensors: true).weights
            return try WeightNorms(of: AnalysisFlags.naming(path) { try weights.only(layer) }, file: path)
        }
        try done.requireAny()
        let report = NormsReport(files: done.values, errors: done.errors)
        try figure.write(NormsFigure.make(report.files))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}
