import NNModelAnalyses

extension ProbeReport {
    /// The human-readable form: what was fitted on which rows, then one table of layers and baselines.
    func text() -> String {
        let metricName = metric == "r2" ? "R²" : "accuracy"
        let linear = kind == "classification" ? "logistic regression (C = \(formatNumber(settings.c ?? .nan)))"
                                              : "ridge (alpha = \(formatNumber(settings.alpha ?? .nan)))"
        let probe = layers.first?.method == .xgboost ? "xgboost" : linear
        let targets = (subtask.map { " \($0)'s outputs" } ?? "") + (classSubset.map { " classes \($0.map(String.init).joined(separator: ","))" } ?? "")
        var lines = ["\(file): \(probe) on each layer's \(activations)-activations → \(task)\(targets)",
                     "fitted on \(nTrain) \(trainSplit) rows, scored on \(nHeldOut) \(heldOutSplit) rows (\(metricName)"
                         + (chance.map { "; most frequent class \(formatNumber($0))" } ?? "") + ")"]
        var table = TextTable("", "method", "features", metricName, "train")
        for (e, isBaseline) in layers.map({ ($0, false) }) + baselines.map({ ($0, true) }) {
            table.add(isBaseline ? "\(e.name) (baseline)" : e.name, e.method.rawValue, String(e.nFeatures),
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
