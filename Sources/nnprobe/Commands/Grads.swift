import ArgumentParser
import NNCheckpoint
import NNModelAnalyses

/// `nnprobe grads`: the gradient flow a training run recorded.
struct Grads: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Gradient flow recorded during training: first vs last steps per parameter tensor, per-epoch norms.",
        discussion: """
            For every parameter tensor: ‖g‖₂, mean |g| and std |g| averaged over the first and the last \
            K optimiser steps. A tensor is flagged `vanishing` when its mean first-step norm is below \
            --vanishing (default 1e-8) and `exploding` when any recorded norm exceeds --exploding \
            (default 1e3) or is not finite.
            """)

    @OptionGroup var inputs: CheckpointInputs
    @Option(help: "Norm below which a tensor's gradient counts as vanished (default 1e-8).")
    var vanishing = 1e-8
    @Option(help: "Norm above which a tensor's gradient counts as exploding (default 1e3).")
    var exploding = 1e3
    @Option(help: "Only the tensors of these layers: an index (0-based, heads not counted), a layer's name (block2.main.0, layer_1), a block's (block2), a stage's (stage2) or torchvision's (layer2.0.conv1).")
    var layer: LayerAddress?
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    func run() throws {
        let (vanishing, exploding, layer) = (vanishing, exploding, layer)
        let done = PerFile.analyse(try inputs.resolve()) { path in
            try AnalysisFlags.naming(path) {
                let checkpoint = try Checkpoint.read(from: path, convNets: true)
                return try GradientFlowSummary(checkpoint.gradients.only(layer, of: checkpoint), file: path, vanishing: vanishing, exploding: exploding)
            }
        }
        try done.requireAny()
        let report = GradsReport(vanishingThreshold: vanishing, explodingThreshold: exploding, files: done.values,
                                 errors: done.errors.isEmpty ? nil : done.errors)
        try figure.write(GradsFigure.make(report.files[0]))
        if output.json { try printJSON(report) } else { print(report.text()) }
        try done.finish()
    }
}
