import Foundation
import NNLinalg

/// How the tasks' read-outs share the last hidden layer (the reference study's orthogonality
/// analysis).
///
/// A task's read-out is the row of the output weight that produces its output (summed over its
/// outputs when it has several: Σ_o W_o). For each pair of tasks: cosine and angle. Per hidden
/// unit j: attribution a_tj = |w_tj| · std(h_j) over the probe set, its share per task, and a
/// class — `dead` (std(h_j) = 0 or no weight), `mono` (one task's share ≥ `monoThreshold`), else
/// `shared`. Interference of read-out i: Σ_{j≠i} (ŵᵢ · w_j)², the squared reach of the other
/// read-outs along ŵᵢ.
public struct ReadoutGeometry: Sendable {
    public struct Pair: Sendable {
        public let first: String
        public let second: String
        public let cosine: Double
        public let angleDegrees: Double
    }

    /// What a hidden unit does, judged from the read-out weights.
    public enum UnitKind: String, CaseIterable, Codable, Sendable {
        /// At least `monoThreshold` of its attribution goes to one task.
        case mono
        /// Its attribution is split between tasks.
        case shared
        /// Constant on the data (std 0) or read by no task.
        case dead
    }

    public struct Unit: Sendable {
        public let index: Int
        public let std: Double
        /// Share of the unit's attribution per task, in task order.
        public let shares: [Double]
        public let kind: UnitKind
    }

    public let tasks: [String]
    public let readouts: [[Double]]
    public let pairs: [Pair]
    public let units: [Unit]
    public let interference: [Double]

    /// - Parameters:
    ///   - weight: the read-out weight (outputs × width).
    ///   - tasks: each task's name and output rows.
    ///   - unitStd: std of each hidden unit over the probe set (nil: attribution uses |w| alone).
    public init(weight: Matrix<Double>, tasks: [(name: String, outputs: [Int])], unitStd: [Double]?,
                monoThreshold: Double = 0.95) {
        self.tasks = tasks.map(\.name)
        let width = weight.cols
        let readouts = tasks.map { task in (0..<width).map { j in task.outputs.reduce(0) { $0 + weight[$1, j] } } }
        self.readouts = readouts
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var pairs: [Pair] = []
        for i in readouts.indices {
            for k in readouts.indices where k > i {
                let denominator = norm(readouts[i]) * norm(readouts[k])
                let c = denominator > 0 ? dot(readouts[i], readouts[k]) / denominator : .nan
                pairs.append(Pair(first: tasks[i].name, second: tasks[k].name, cosine: c,
                                  angleDegrees: acos(min(1, max(-1, c))) * 180 / .pi))
            }
        }
        self.pairs = pairs
        interference = readouts.indices.map { i in
            let n = norm(readouts[i])
            guard n > 0 else { return .nan }
            return readouts.indices.filter { $0 != i }.reduce(0) { sum, k in
                let projection = dot(readouts[i], readouts[k]) / n
                return sum + projection * projection
            }
        }
        units = (0..<width).map { j in
            let s = unitStd?[j] ?? 1
            let attribution = readouts.map { abs($0[j]) * s }
            let total = attribution.reduce(0, +)
            let shares = attribution.map { total > 0 ? $0 / total : 0 }
            let kind: UnitKind = s == 0 || total == 0 ? .dead : (shares.max()! >= monoThreshold ? .mono : .shared)
            return Unit(index: j, std: s, shares: shares, kind: kind)
        }
    }

    /// Units of each kind: (mono, shared, dead).
    public var unitCounts: (mono: Int, shared: Int, dead: Int) {
        (units.filter { $0.kind == .mono }.count, units.filter { $0.kind == .shared }.count,
         units.filter { $0.kind == .dead }.count)
    }
}

/// Histogram of values in [0, 1] with `bins` equal bins (the last bin includes 1).
public func histogram(_ values: [Double], bins: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: bins)
    for v in values where v.isFinite {
        counts[min(bins - 1, max(0, Int(v * Double(bins))))] += 1
    }
    return counts
}
