import Foundation
import NNAnalysis
import NNModelAnalyses

/// The document `similarity` prints (schema `nnprobe.similarity/1`, see docs/json.md).
struct SimilarityReport: Encodable {
    /// Where the rows came from.
    struct Rows: Encodable {
        let from: String
        let kind: SimilarityRows.Kind
        let split: String?
        let variedTask: String?
        let gridSize: Int?
        let contexts: Int?
        let nSamples: Int
        enum CodingKeys: String, CodingKey {
            case from, kind, split, contexts
            case variedTask = "varied_task", gridSize = "grid_size", nSamples = "n_samples"
        }
    }

    /// One measure's matrix and the distribution of its off-diagonal values.
    struct Result: Encodable {
        let measure: SimilarityMeasure
        /// `similarity` (1 = identical) or `distance` (0 = identical).
        let kind: String
        let matrix: [[Double]]
        let offDiagonal: DistributionJSON
        enum CodingKeys: String, CodingKey { case measure, kind, matrix; case offDiagonal = "off_diagonal" }
    }

    /// One set of representations compared: a layer across the nets, or the layers of one net.
    struct Comparison: Encodable {
        let layer: Int?
        let labels: [String]
        let widths: [Int]
        let results: [Result]
    }

    let schema = "nnprobe.similarity/1"
    /// `nets` (a layer across files) or `layers` (the layers of one file).
    let mode: String
    let files: [String]
    let rows: Rows
    /// `post` (layer outputs) or `pre` (pre-activations).
    let activations: String
    let measures: [SimilarityMeasure]
    let comparisons: [Comparison]
    /// The files that could not be analysed (key absent when none).
    let errors: [FileError]?

    init(files: [String], rows r: SimilarityRows, preActivations: Bool, measures: [SimilarityMeasure],
         comparisons: [RepresentationSimilarity.Comparison], errors: [FileError]) {
        let layersMode = comparisons.first.map { $0.layer == nil } ?? false
        mode = layersMode ? "layers" : "nets"
        self.files = files
        rows = Rows(from: r.file, kind: r.kind, split: r.split, variedTask: r.variedTask, gridSize: r.gridSize,
                    contexts: r.contexts, nSamples: r.inputs.rows)
        activations = preActivations ? "pre" : "post"
        self.measures = measures
        self.comparisons = comparisons.map { c in
            Comparison(layer: c.layer, labels: layersMode ? c.widths.indices.map { "layer_\($0)" } : files, widths: c.widths,
                       results: c.matrices.map { m in
                           Result(measure: m.measure, kind: m.measure.isDistance ? "distance" : "similarity",
                                  matrix: (0..<m.values.rows).map { m.values.row($0) }, offDiagonal: DistributionJSON(m.offDiagonal))
                       })
        }
        self.errors = errors.isEmpty ? nil : errors
    }

    /// Matrices are printed in full up to this many representations; beyond, only their distribution.
    static let matrixLimit = 12

    func text() -> String {
        let probe = rows.kind == .vary
            ? "\(rows.variedTask ?? "?") varied on a \(rows.gridSize ?? 0)-point grid, \(rows.contexts ?? 0) contexts"
            : "\(rows.split ?? "?") split"
        var lines = ["rows: \(rows.nSamples) (\(probe)) of \(rows.from); \(activations)-activations"]
        if mode == "nets", let first = comparisons.first, first.labels.count <= Self.matrixLimit {
            for (i, label) in first.labels.enumerated() { lines.append("  [\(i)] \(label)") }
        }
        for c in comparisons {
            let subject = c.layer.map { "layer_\($0) across \(c.labels.count) nets" } ?? "layers of \(files.first ?? "")"
            for r in c.results {
                lines.append("")
                lines.append("\(subject), \(r.measure.rawValue) (\(r.kind)): off-diagonal \(r.offDiagonal.text), "
                             + "quartiles \(formatNumber(r.offDiagonal.q25)) / \(formatNumber(r.offDiagonal.median)) / \(formatNumber(r.offDiagonal.q75))")
                guard c.labels.count <= Self.matrixLimit else { continue }
                let names = c.layer == nil ? c.labels : c.labels.indices.map { "[\($0)]" }
                var table = TextTable([""] + names)
                for (i, row) in r.matrix.enumerated() { table.add([names[i]] + row.map { formatNumber($0) }) }
                lines.append(table.render())
            }
        }
        return lines.joined(separator: "\n")
    }
}
