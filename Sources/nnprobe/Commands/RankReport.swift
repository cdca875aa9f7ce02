import Foundation

/// The document `rank` prints (schema `nnprobe.rank/1`, see docs/json.md): models of one task
/// from sweeps and probe reports, ranked by test accuracy, with the best few per method and the
/// worst overall, as study 001 summarises its transfer comparison.
struct RankReport: Encodable {
    /// One trained net or fitted probe.
    struct Model: Encodable, Equatable {
        /// The method it belongs to (`scratch`, `finetune`, `logistic`, …).
        let method: String
        /// Which model of its method: a run's swept flags (`lr=0.001`), a probe's fit (`logistic on block2`).
        let model: String
        /// Test accuracy.
        let testAccuracy: Double
        /// The sweep directory or probe report it came from.
        let source: String
        var rank = 0

        enum CodingKeys: String, CodingKey {
            case rank, method, model, source
            case testAccuracy = "test_accuracy"
        }
    }

    /// One method's best models.
    struct Best: Encodable {
        let method: String
        let models: [Model]
    }

    let schema = "nnprobe.rank/1"
    let metric = "test_accuracy"
    /// Every model, best first (a non-finite accuracy last).
    let ranking: [Model]
    /// Per method, in order of first appearance among the sources: its best `best` models.
    let bestPerMethod: [Best]
    let worst: Model?

    enum CodingKeys: String, CodingKey {
        case schema, metric, ranking, worst
        case bestPerMethod = "best_per_method"
    }

    /// Ranks `models` (in source order; ties keep it).
    init(_ models: [Model], best: Int) {
        let order = models.indices.sorted { a, b in
            let (x, y) = (models[a].testAccuracy, models[b].testAccuracy)
            if x.isFinite != y.isFinite { return x.isFinite }
            if x != y, x.isFinite { return x > y }
            return a < b
        }
        let ranked = order.enumerated().map { k, i in
            var model = models[i]
            model.rank = k + 1
            return model
        }
        var methods: [String] = []
        for model in models where !methods.contains(model.method) { methods.append(model.method) }
        ranking = ranked
        bestPerMethod = methods.map { method in Best(method: method, models: Array(ranked.filter { $0.method == method }.prefix(best))) }
        worst = ranked.last
    }

    /// The models of one source: a sweep directory's runs or a probe report's fits, in `method`
    /// when given. Errors name the file.
    static func models(from path: String, method: String?) throws -> [Model] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CommandFailure("\(path): no such file or directory") }
        if isDirectory.boolValue {
            let index = try SweepIndex.read(directory: path)
            let name = method ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            return index.runs.map { run in
                let label = index.axes.compactMap { axis in run.parameters[axis].map { "\(axis)=\($0)" } }.joined(separator: " ")
                return Model(method: name, model: label.isEmpty ? run.name : label,
                             testAccuracy: run.status == "ok" ? run.testAccuracy : .nan, source: path)
            }
        }
        guard let data = FileManager.default.contents(atPath: path),
              let report = try? JSONDecoder().decode(ProbeReportDocument.self, from: data), report.schema.hasPrefix("nnprobe.probe/") else {
            throw CommandFailure("\(path): neither a sweep directory nor the --json output of `nnprobe probe`")
        }
        guard report.metric == "accuracy", report.heldOutSplit == "test" else {
            throw CommandFailure("\(path): scores \(report.metric) on the \(report.heldOutSplit) split; rank compares test accuracy "
                                 + "(probe a classification task with --held-out test)")
        }
        return (report.layers + report.baselines).map { fit in
            Model(method: method ?? fit.method, model: "\(fit.method) on \(fit.name)", testAccuracy: fit.score, source: path)
        }
    }

    /// What `rank` reads of a probe report.
    private struct ProbeReportDocument: Decodable {
        struct Fit: Decodable {
            let name: String
            let method: String
            let score: Double
        }
        let schema: String
        let metric: String
        let heldOutSplit: String
        let layers: [Fit]
        let baselines: [Fit]
        enum CodingKeys: String, CodingKey {
            case schema, metric, layers, baselines
            case heldOutSplit = "held_out_split"
        }
    }

    /// Study 001's layout: the best per method, the worst overall, then the full ranking.
    func text() -> String {
        var lines = ["best \(bestPerMethod.map(\.models.count).max() ?? 0) per method (test accuracy):"]
        for group in bestPerMethod {
            lines.append("  \(group.method):")
            for (k, m) in group.models.enumerated() { lines.append("    \(k + 1). \(m.model): \(formatNumber(m.testAccuracy))") }
        }
        if let worst { lines.append("worst overall: \(worst.method) / \(worst.model): \(formatNumber(worst.testAccuracy))") }
        lines.append("")
        var table = TextTable("rank", "method", "model", "test accuracy")
        for m in ranking { table.add(String(m.rank), m.method, m.model, formatNumber(m.testAccuracy)) }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
