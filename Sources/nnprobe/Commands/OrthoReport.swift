import Foundation
import NNAnalysis
import NNCheckpoint
import NNModelAnalyses

/// The document `ortho` prints (schema `nnprobe.ortho/1`, see docs/json.md).
struct OrthoReport: Encodable {
    struct Pair: Encodable, Sendable {
        let tasks: [String]
        let cosine: Double
        let absCosine: Double
        let angleDegrees: Double
        enum CodingKeys: String, CodingKey { case tasks, cosine; case absCosine = "abs_cosine", angleDegrees = "angle_degrees" }
    }

    struct Unit: Encodable, Sendable {
        let index: Int
        let std: Double
        let shares: [Double]
        let kind: ReadoutGeometry.UnitKind
    }

    struct Readout: Encodable, Sendable {
        let source: String
        let readsLayer: String
        let tasks: [String]
        let vectors: [[Double]]
        let pairs: [Pair]
        let interference: [Double]
        let units: [Unit]
        let unitCounts: [String: Int]
        /// A conv net's: what the read-out reads (`8 pooled channels of block2 (stage2)`); key absent for MLPs.
        let features: String?

        enum CodingKeys: String, CodingKey {
            case source, tasks, vectors, pairs, interference, units, features
            case readsLayer = "reads_layer", unitCounts = "unit_counts"
        }

        init(source: String, readsLayer: String, features: String? = nil, geometry g: ReadoutGeometry) {
            self.source = source
            self.readsLayer = readsLayer
            self.features = features
            tasks = g.tasks
            vectors = g.readouts
            pairs = g.pairs.map { Pair(tasks: [$0.first, $0.second], cosine: $0.cosine,
                                       absCosine: abs($0.cosine), angleDegrees: $0.angleDegrees) }
            interference = g.interference
            units = g.units.map { Unit(index: $0.index, std: $0.std, shares: $0.shares, kind: $0.kind) }
            let counts = g.unitCounts
            unitCounts = ["mono": counts.mono, "shared": counts.shared, "dead": counts.dead]
        }
    }

    struct File: Encodable, Sendable {
        let file: String
        /// The run: the file name without `.h5`, as the sweep index names runs.
        let run: String
        let seed: Int64
        let readouts: [Readout]
        /// Said of the read-outs as a whole (a conv net's heads reading different features); key absent when nil.
        let note: String?
    }

    struct Across: Encodable {
        let count: Int
        let absCosine: DistributionJSON
        let histogramEdges: [Double]
        let histogramCounts: [Int]
        let shareWithinBand: Double
        enum CodingKeys: String, CodingKey {
            case count
            case absCosine = "abs_cosine", histogramEdges = "histogram_edges", histogramCounts = "histogram_counts"
            case shareWithinBand = "share_within_band"
        }
    }

    let schema = "nnprobe.ortho/1"
    let threshold: Double
    let band: Double
    let files: [File]
    /// The files that could not be analysed (key absent when none).
    let errors: [FileError]?
    let across: Across?
    /// For a run's `--save-every` snapshots: each read-out pair's cosine over epochs.
    let timeline: Timeline?

    /// |cos| of each file's primary read-out pair: the first pair of its last read-out set.
    static func primaryAbsCosines(_ files: [File]) -> [Double] {
        files.compactMap { $0.readouts.last?.pairs.first?.absCosine }.filter(\.isFinite)
    }

    init(files: [File], errors: [FileError] = [], threshold: Double, band: Double, bins: Int) {
        self.files = files
        self.errors = errors.isEmpty ? nil : errors
        self.threshold = threshold
        self.band = band
        let primary = Self.primaryAbsCosines(files)
        across = files.count > 1 && !primary.isEmpty ? Across(
            count: primary.count, absCosine: DistributionJSON(primary),
            histogramEdges: (0...bins).map { Double($0) / Double(bins) }, histogramCounts: histogram(primary, bins: bins),
            shareWithinBand: Double(primary.filter { $0 <= band }.count) / Double(primary.count)) : nil
        timeline = Timeline(files: files.map(\.file)) { i in
            files[i].readouts.flatMap { r in r.pairs.map { ("\(r.source) \($0.tasks.joined(separator: "·")) cos", $0.cosine) } }
        }
    }

    func text() -> String {
        var lines: [String] = []
        if files.count <= 5 {
            for file in files {
                lines.append(file.file)
                if let note = file.note { lines.append("  note: \(note)") }
                for r in file.readouts {
                    let counts = r.unitCounts
                    lines.append("  \(r.source) reading \(r.features ?? r.readsLayer): units mono \(counts["mono"]!), shared \(counts["shared"]!), dead \(counts["dead"]!)")
                    for p in r.pairs {
                        lines.append("    \(p.tasks[0]) · \(p.tasks[1]): cos \(formatNumber(p.cosine)), angle \(formatNumber(p.angleDegrees))°"
                                     + (p.absCosine <= band ? "  (orthogonal within ±\(band))" : ""))
                    }
                    lines.append("    interference: " + zip(r.tasks, r.interference).map { "\($0) \(formatNumber($1))" }.joined(separator: ", "))
                }
            }
        } else {
            var table = TextTable("file", "read-out", "tasks", "cos", "angle°", "mono", "shared", "dead")
            for file in files {
                guard let r = file.readouts.last, let p = r.pairs.first else { continue }
                table.add(file.file, r.source, p.tasks.joined(separator: "·"), formatNumber(p.cosine),
                          formatNumber(p.angleDegrees), String(r.unitCounts["mono"]!), String(r.unitCounts["shared"]!),
                          String(r.unitCounts["dead"]!))
            }
            lines.append(table.render())
        }
        if let timeline { lines.append(""); lines.append(timeline.text(title: "read-out cosines")) }
        if let across {
            lines.append("")
            lines.append("|cos| across \(across.count) checkpoints: \(across.absCosine.text); within ±\(band): "
                         + "\(formatNumber(across.shareWithinBand * 100, digits: 3))%")
            let peak = max(1, across.histogramCounts.max() ?? 1)
            for (i, count) in across.histogramCounts.enumerated() {
                let bar = String(repeating: "█", count: Int((Double(count) / Double(peak) * 40).rounded()))
                lines.append(String(format: "  [%.2f, %.2f) %4d %@", across.histogramEdges[i], across.histogramEdges[i + 1], count, bar))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension OrthoReport.File {
    /// The read-outs of `checkpoint`, read from `path` (or its directory's pack); problems name the file.
    init(_ checkpoint: Checkpoint, path: String, threshold: Double) throws {
        let analysis = try AnalysisFlags.naming(path) {
            try ReadoutAnalysis(checkpoint, task: CheckpointTask(checkpoint), threshold: threshold)
        }
        self.init(file: path, run: runName(of: path), seed: checkpoint.seed, readouts: analysis.readouts.map {
            OrthoReport.Readout(source: $0.source, readsLayer: $0.readsLayer, features: $0.features, geometry: $0.geometry)
        }, note: analysis.note)
    }
}
