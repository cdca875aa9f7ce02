import NNAnalysis
import NNModelAnalyses
import NNPlot

/// Frobenius norm per layer and head: one bar per checkpoint for a few checkpoints; for more, or
/// for the groups of a sweep, each group's mean as a bar with a ± std whisker and every
/// checkpoint a faint dot over it — every checkpoint is drawn, and the title says how.
enum NormsFigure {
    /// Up to this many checkpoints get a bar each.
    static let barsPerCheckpoint = 8

    static func make(_ files: [WeightNorms]) -> Figure {
        guard files.count <= barsPerCheckpoint else { return make(groups: [("all \(files.count) checkpoints", files)]) }
        var figure = make(bars: files.map { (shortName($0.file), [$0]) }, title: "Weight norms per layer and head")
        if let readouts = readoutChart(files) {
            figure.charts.append(readouts)
            figure.columns = 1
        }
        return figure
    }

    /// Study 000's comparison: each model's read-outs side by side, heads in order of depth and a
    /// single-head model's output layer beside the deepest head (both read the last layer) —
    /// drawn when some model has several heads and another a different number. A model's
    /// read-outs are its heads, or else its last weight matrix.
    static func readoutChart(_ files: [WeightNorms]) -> Chart? {
        let readouts = files.map { f -> [WeightNorms.Entry] in
            let heads = f.entries.filter { $0.kind == "head" }
            return heads.isEmpty ? Array(f.entries.suffix(1)) : heads
        }
        let most = readouts.map(\.count).max() ?? 0
        guard files.count >= 2, most >= 2, Set(readouts.map(\.count)).count > 1 else { return nil }
        var chart = Chart(title: "Read-out norms: heads by depth, a single read-out beside the deepest head",
                          xLabel: "read-out (by the depth it reads)", yLabel: "Frobenius norm")
        chart.xCategories = (1...most).map { "head \($0)" }
        let width = 0.8 / Double(files.count)
        for (k, (file, entries)) in zip(files, readouts).enumerated() {
            let offset = -0.4 + width * (Double(k) + 0.5), first = most - entries.count   // right-aligned: the deepest last
            chart.series.append(.bars(label: "\(shortName(file.file)) (\(entries.map(\.name).joined(separator: ", ")))",
                                      x: entries.indices.map { Double(first + $0) + offset }, heights: entries.map(\.frobeniusNorm),
                                      width: width * 0.95, color: Palette.category(k)))
        }
        chart.xDomain = -0.6...(Double(most) - 0.4)
        return chart
    }

    /// Each group's mean ± std per layer and head, its checkpoints as dots.
    static func make(groups: [(label: String, files: [WeightNorms])]) -> Figure {
        let total = groups.map(\.files.count).reduce(0, +)
        let what = groups.count > 1 ? "\(groups.count) groups, \(total) runs" : "\(total) runs"
        return make(bars: groups, title: "Weight norms: mean ± std of \(what) (dots: runs)")
    }

    private static func make(bars groups: [(label: String, files: [WeightNorms])], title: String) -> Figure {
        var names: [String] = []
        for group in groups { for f in group.files { for e in f.entries where !names.contains(e.name) { names.append(e.name) } } }
        var chart = Chart(title: title, xLabel: "layer / head", yLabel: "Frobenius norm")
        chart.xCategories = names
        let width = 0.8 / Double(max(1, groups.count))
        for (k, group) in groups.enumerated() {
            let offset = -0.4 + width * (Double(k) + 0.5), colour = Palette.category(k)
            var x: [Double] = [], means: [Double] = [], whiskers: [[Double]] = [], dots: (x: [Double], y: [Double]) = ([], [])
            for (i, name) in names.enumerated() {
                let values = group.files.compactMap { $0.entries.first { $0.name == name }?.frobeniusNorm }
                guard !values.isEmpty else { continue }
                let d = Distribution(values)
                x.append(Double(i) + offset)
                means.append(d.mean)
                if values.count > 1 {
                    whiskers.append([Double(i) + offset, d.mean - d.std, Double(i) + offset, d.mean + d.std])
                    dots.x += values.map { _ in Double(i) + offset }
                    dots.y += values
                }
            }
            chart.series.append(.bars(label: group.label, x: x, heights: means, width: width * 0.95, color: colour))
            if !whiskers.isEmpty {
                chart.series.append(.points(label: nil, x: dots.x, y: dots.y, colors: ["#222222"], radius: 1.6, opacity: 0.35))
                chart.series.append(.segments(label: nil, segments: whiskers, color: "#222222", width: 1.4))
            }
        }
        chart.xDomain = -0.6...(Double(names.count) - 0.4)
        return Figure([chart], panelWidth: max(520, Double(names.count) * 70), panelHeight: 380)
    }
}
