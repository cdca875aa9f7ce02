import NNModelAnalyses
import NNPlot

/// Gradient flow: per-layer bars (log scale) of the first vs the last steps, and the mean
/// gradient norm per epoch, one line per layer.
enum GradsFigure {
    static func make(_ file: GradientFlowSummary) -> Figure {
        let weights = file.tensors.filter { $0.name.hasSuffix(".weight") }
        var bars = Chart(title: "Gradient norm: first vs last \(file.stepsKept) steps", xLabel: "layer", yLabel: "‖g‖₂")
        bars.yScale = .log
        bars.xCategories = weights.map { String($0.name.dropLast(".weight".count)) }
        let x = weights.indices.map(Double.init)
        bars.series = [
            .bars(label: "first steps", x: x.map { $0 - 0.2 }, heights: weights.map(\.first.norm), width: 0.38, color: Palette.category(0)),
            .bars(label: "last steps", x: x.map { $0 + 0.2 }, heights: weights.map(\.last.norm), width: 0.38, color: Palette.category(1)),
        ]
        bars.xDomain = -0.6...(Double(weights.count) - 0.4)
        var epochs = Chart(title: "Mean gradient norm per epoch", xLabel: "epoch", yLabel: "‖g‖₂")
        epochs.yScale = .log
        let step = max(1, weights.count / 8)
        for (k, t) in weights.enumerated() where k % step == 0 || k == weights.count - 1 {
            epochs.series.append(.line(label: String(t.name.dropLast(".weight".count)), x: t.epochMeanNorm.indices.map { Double($0 + 1) },
                                       y: t.epochMeanNorm, color: Palette.viridis(Double(k) / Double(max(1, weights.count - 1)))))
        }
        return Figure([bars, epochs], title: shortTitle(file.file, limit: 60), columns: 2, panelWidth: max(460, Double(weights.count) * 14 + 200))
    }
}
