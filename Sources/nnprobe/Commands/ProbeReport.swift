import NNModelAnalyses

extension ProbeReport {
    /// The human-readable form: what was fitted on which rows, then one table of layers and baselines.
    func text() -> String {
        let metricName = metric == "r2" ? "R²" : "accuracy"
        let probe = kind == "classification" ? "logistic regression (C = \(formatNumber(settings.c ?? .nan)))"
                                             : "ridge (alpha = \(formatNumber(settings.alpha ?? .nan)))"
        let targets = subtask.map { " \($0)'s outputs" } ?? ""
        var lines = ["\(file): \(probe) on each layer's \(activations)-activations → \(task)\(targets)",
                     "fitted on \(nTrain) \(trainSplit) rows, scored on \(nHeldOut) \(heldOutSplit) rows (\(metricName)"
                         + (chance.map { "; most frequent class \(formatNumber($0))" } ?? "") + ")"]
        var table = TextTable("", "method", "features", metricName, "train")
        for e in layers + baselines {
            table.add(e.layer == nil ? "\(e.name) (baseline)" : e.name, e.method.rawValue, String(e.nFeatures),
                      formatNumber(e.score), formatNumber(e.trainScore))
        }
        lines.append(table.render())
        if let x = settings.xgboost {
            lines.append("xgboost: \(x.nEstimators) rounds, max depth \(x.maxDepth), learning rate \(formatNumber(x.learningRate)), seed \(x.seed)")
        }
        let unconverged = layers.filter { $0.converged == false }.map(\.name)
        if !unconverged.isEmpty { lines.append("not converged (iteration cap reached): \(unconverged.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
