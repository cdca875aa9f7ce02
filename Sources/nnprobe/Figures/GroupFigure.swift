import NNModel
import NNPlot

/// Validation loss and accuracy per epoch for groups of runs: each group's mean bold in its
/// colour, its runs faint behind it.
enum GroupFigure {
    static func make(_ groups: [(label: String, histories: [TrainingHistory])], smoothing: Int, title: String) -> Figure {
        var loss = Chart(title: "Validation loss", xLabel: "epoch", yLabel: "loss")
        loss.yScale = .log
        var accuracy = Chart(title: "Validation accuracy", xLabel: "epoch", yLabel: "accuracy")
        accuracy.legend = .bottomRight
        for (k, group) in groups.enumerated() {
            let colour = Palette.category(k)
            for h in group.histories where h.epochs > 0 {
                let x = (1...h.epochs).map(Double.init)
                loss.series.append(.line(label: nil, x: x, y: TrainingFigure.smooth(h.valLoss, smoothing), color: colour, width: 0.8, opacity: 0.25))
                accuracy.series.append(.line(label: nil, x: x, y: TrainingFigure.smooth(h.valAccuracy, smoothing), color: colour, width: 0.8, opacity: 0.25))
            }
            let epochs = group.histories.map(\.epochs).min() ?? 0
            guard epochs > 0 else { continue }
            let x = (1...epochs).map(Double.init)
            func mean(_ curve: (TrainingHistory) -> [Double]) -> [Double] {
                (0..<epochs).map { e in group.histories.map { curve($0)[e] }.reduce(0, +) / Double(group.histories.count) }
            }
            loss.series.append(.line(label: group.label, x: x, y: TrainingFigure.smooth(mean(\.valLoss), smoothing), color: colour, width: 2.4))
            accuracy.series.append(.line(label: group.label, x: x, y: TrainingFigure.smooth(mean(\.valAccuracy), smoothing), color: colour, width: 2.4))
        }
        return Figure([loss, accuracy], title: title, columns: 2)
    }
}
