/// How much each output moves while one task's inputs sweep a grid and everything else is held:
/// per output, the standard deviation across the grid within each held context, averaged over
/// contexts. Leakage of the varied task into another is that task's mean std divided by the
/// varied task's own (0: the other read-out does not move at all).
public struct OutputMovement: Sendable {
    /// Per output, mean over contexts of the within-context std.
    public let stdPerOutput: [Double]

    /// - Parameters:
    ///   - outputs: N × o model outputs, row-major.
    ///   - contextIndex: each row's held context.
    public init(outputs: [Float], width: Int, contextIndex: [Int32]) {
        // Contexts in first-seen order: the mean below is a floating-point sum, and a Dictionary's
        // values come in a different order from run to run (Swift seeds its hashing per process).
        var slot: [Int32: Int] = [:]
        var groups: [[Int]] = []
        for (row, c) in contextIndex.enumerated() {
            if let s = slot[c] { groups[s].append(row) } else { slot[c] = groups.count; groups.append([row]) }
        }
        stdPerOutput = (0..<width).map { o in
            let stds = groups.map { rows -> Double in
                let values = rows.map { Double(outputs[$0 * width + o]) }
                let mean = values.reduce(0, +) / Double(values.count)
                return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count))).squareRoot()
            }
            return stds.isEmpty ? .nan : stds.reduce(0, +) / Double(stds.count)
        }
    }

    /// Mean movement of `outputs` relative to the movement of `reference` outputs.
    public func ratio(of outputs: [Int], to reference: [Int]) -> Double {
        let own = reference.map { stdPerOutput[$0] }.reduce(0, +) / Double(max(1, reference.count))
        let other = outputs.map { stdPerOutput[$0] }.reduce(0, +) / Double(max(1, outputs.count))
        return own > 0 ? other / own : .nan
    }
}
