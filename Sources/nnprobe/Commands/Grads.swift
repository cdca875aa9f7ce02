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
    @OptionGroup var output: OutputOptions
    @OptionGroup var figure: PlotOptions

    struct Report: Encodable {
        let schema = "nnprobe.grads/1"
        let vanishingThreshold: Double
        let explodingThreshold: Double
        let files: [GradientFlowSummary]
        /// The files that could not be analysed (key absent when none).
        let errors: [FileError]?
        enum CodingKeys: String, CodingKey {
            case schema, files, errors
            case vanishingThreshold = "vanishing_threshold", explodingThreshold = "exploding_threshold"
        }
    }

    func run() throws {
        let (vanishing, exploding) = (vanishing, exploding)
        let done = PerFile.analyse(try inputs.resolve()) { path in
            try AnalysisFlags.naming(path) {
                try GradientFlowSummary(Checkpoint.read(from: path).gradients, file: path, vanishing: vanishing, exploding: exploding)
            }
        }
        try done.requireAny()
        let files = done.values
        let report = Report(vanishingThreshold: vanishing, explodingThreshold: exploding, files: files,
                            errors: done.errors.isEmpty ? nil : done.errors)
        try figure.write(GradsFigure.make(files[0]))
        if output.json {
            try printJSON(report)
            return try done.finish()
        }
        for file in files {
            print("\(file.file)  (means over the first and last \(file.stepsKept) steps)")
            var table = TextTable("tensor", "first ‖g‖", "last ‖g‖", "first mean|g|", "last mean|g|", "first std|g|", "last std|g|", "flags")
            for t in file.tensors {
                table.add(t.name, formatNumber(t.first.norm), formatNumber(t.last.norm),
                          formatNumber(t.first.meanAbs), formatNumber(t.last.meanAbs),
                          formatNumber(t.first.stdAbs), formatNumber(t.last.stdAbs),
                          t.flags.isEmpty ? "-" : t.flags.map(\.rawValue).joined(separator: ","))
            }
            print(table.render())
            let weights = file.tensors.filter { $0.name.hasSuffix(".weight") }
            if let epochs = weights.first?.epochMeanNorm.count, epochs > 0 {
                // Epochs as rows, at most 12 of them evenly spaced (always the first and last).
                let shown = Array(Set((0..<min(12, epochs)).map { $0 * (epochs - 1) / max(1, min(12, epochs) - 1) })).sorted()
                print("\nmean ‖g‖ per epoch (weights):")
                var curves = TextTable(["epoch"] + weights.map(\.name))
                for e in shown { curves.add([String(e + 1)] + weights.map { formatNumber($0.epochMeanNorm[e], digits: 3) }) }
                print(curves.render())
            }
            print("")
        }
        try done.finish()
    }
}
