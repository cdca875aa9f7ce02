import NNModel
import NNPlot

/// Learning curves of one or more runs: loss (log scale), accuracy and learning rate per epoch.
/// With several runs, each is drawn faint and their mean bold; `smoothing` > 1 applies a
/// trailing moving average of that many epochs.
enum TrainingFigure {
    static func make(_ runs: [(name: String, history: TrainingHistory)], smoothing: Int = 1, title: String) -> Figure {
        var loss = Chart(title: "Loss", xLabel: "epoch", yLabel: "loss")
        loss.yScale = .log
        var accuracy = Chart(title: "Accuracy", xLabel: "epoch", yLabel: "accuracy")
        accuracy.legend = .bottomRight
        var rate = Chart(title: "Learning rate", xLabel: "epoch", yLabel: "learning rate")
        rate.yScale = .log
        let many = runs.count > 1
        for (i, run) in runs.enumerated() {
            let h = run.history
            let epochs = (1...max(1, h.epochs)).map(Double.init)
            let colour = Palette.category(many ? 0 : 0)
            let valColour = Palette.category(1)
            let opacity = many ? 0.25 : 1
            let label = { (s: String) in many ? (i == 0 ? s + " (each run)" : nil) : s }
            loss.series.append(.line(label: label("train"), x: epochs, y: smooth(h.trainLoss, smoothing), color: colour, width: many ? 1 : 1.8, opacity: opacity))
            loss.series.append(.line(label: label("validation"), x: epochs, y: smooth(h.valLoss, smoothing), color: valColour, width: many ? 1 : 1.8, opacity: opacity, dashed: !many))
            accuracy.series.append(.line(label: label("train"), x: epochs, y: smooth(h.trainAccuracy, smoothing), color: colour, width: many ? 1 : 1.8, opacity: opacity))
            accuracy.series.append(.line(label: label("validation"), x: epochs, y: smooth(h.valAccuracy, smoothing), color: valColour, width: many ? 1 : 1.8, opacity: opacity, dashed: !many))
            if !many, h.testLoss.isFinite {
                loss.series.append(.points(label: "test", x: [Double(h.epochs)], y: [h.testLoss], colors: [Palette.category(2)], radius: 4, opacity: 1))
                accuracy.series.append(.points(label: "test", x: [Double(h.epochs)], y: [h.testAccuracy], colors: [Palette.category(2)], radius: 4, opacity: 1))
            }
            if i == 0 || many { rate.series.append(.line(label: nil, x: epochs, y: h.learningRate, color: Palette.category(4), opacity: opacity)) }
        }
        if many {
            let epochs = runs.map(\.history.epochs).min() ?? 0
            if epochs > 0 {
                let x = (1...epochs).map(Double.init)
                func mean(_ curve: (TrainingHistory) -> [Double]) -> [Double] {
                    (0..<epochs).map { e in runs.map { curve($0.history)[e] }.reduce(0, +) / Double(runs.count) }
                }
                loss.series.append(.line(label: "train (mean)", x: x, y: smooth(mean(\.trainLoss), smoothing), color: Palette.category(0), width: 2.5))
                loss.series.append(.line(label: "validation (mean)", x: x, y: smooth(mean(\.valLoss), smoothing), color: Palette.category(1), width: 2.5))
                accuracy.series.append(.line(label: "train (mean)", x: x, y: smooth(mean(\.trainAccuracy), smoothing), color: Palette.category(0), width: 2.5))
                accuracy.series.append(.line(label: "validation (mean)", x: x, y: smooth(mean(\.valAccuracy), smoothing), color: Palette.category(1), width: 2.5))
            }
        }
        return Figure([loss, accuracy, rate], title: title, columns: 3, panelWidth: 420)
    }

    /// Trailing moving average over `window` values (1 = unchanged).
    static func smooth(_ values: [Double], _ window: Int) -> [Double] {
        guard window > 1 else { return values }
        return values.indices.map { i in
            let slice = values[max(0, i - window + 1)...i].filter(\.isFinite)
            return slice.isEmpty ? .nan : slice.reduce(0, +) / Double(slice.count)
        }
    }
}
