import NNLinalg
import NNModel

/// How each output moves when chosen units (or a subspace) of one layer take their values from
/// another input: activation patching.
///
/// Pairs are formed from the rows: B_i = row i and A_i = row (i + ⌊N/2⌋) mod N. For each target,
/// B_i runs with the target's values replaced by A_i's (h ← h − Vᵀ V (h − h_A), the units' own
/// values for units), in Float64. Per output o: `rmsChange` = √mean_i (ŷ_o(B_i ← A_i) − ŷ_o(B_i))²,
/// and `relativeChange` = that over √mean_i (ŷ_o(A_i) − ŷ_o(B_i))², the share of the whole A–B
/// difference the patch carries across (1: the output moves as if the input were A). Per task:
/// the same ratio over the task's outputs together.
public struct ActivationPatching: Sendable {
    public struct Patch: Sendable {
        /// `task0-only units`, `units 1,3`, `task1 top-2`.
        public let label: String
        public let target: UnitAblation.Target
        public let rmsChange: [Double]
        public let relativeChange: [Double]
        public let taskRelativeChange: [Double]
    }

    /// Pairs patched: one per row.
    public let pairs: Int
    public let tasks: [TaskOutputs]
    /// Per output: √mean (ŷ(A) − ŷ(B))².
    public let rmsDifference: [Double]
    public let patches: [Patch]

    /// Patches each of `targets` of `buffer` on pairs of `rows` (at least 2 rows), a block of
    /// rows at a time.
    public init(_ network: LayerNetwork<Double>, buffer: Int, rows: ScoredRows, tasks: [TaskOutputs],
                targets: [(label: String, target: UnitAblation.Target)]) {
        precondition(rows.count >= 2, "patching needs two rows")
        let n = rows.count, o = network.outputWidth, shift = n / 2
        // Σ_i of squared output differences, per output: A − B, then each patch's movement.
        var whole = [Double](repeating: 0, count: o)
        var moved = [[Double]](repeating: whole, count: targets.count)
        func addSquares(_ difference: [Double], into sums: inout [Double]) {
            for (k, d) in difference.enumerated() { sums[k % o] += d * d }
        }
        for start in stride(from: 0, to: n, by: network.blockRows) {
            let block = start..<min(start + network.blockRows, n)
            let partners = block.flatMap { i in rows.inputs(((i + shift) % n)..<((i + shift) % n + 1)) }
            let a = network.evaluate(partners, batch: block.count)
            let donor = Array(network.values(ofBuffer: buffer))
            let b = network.evaluate(rows.inputs(block), batch: block.count)
            addSquares(zip(a, b).map { $0 - $1 }, into: &whole)
            for (t, target) in targets.enumerated() {
                let edit = Intervention(buffer: buffer, directions: target.target.directions(), replacement: .rows(donor))
                addSquares(zip(network.evaluate(rows.inputs(block), batch: block.count, interventions: [edit]), b).map { $0 - $1 },
                           into: &moved[t])
            }
        }
        func ratio(_ sums: [Double], _ outputs: [Int]) -> Double {
            (outputs.reduce(0) { $0 + sums[$1] } / outputs.reduce(0) { $0 + whole[$1] }).squareRoot()
        }
        pairs = n
        self.tasks = tasks
        rmsDifference = whole.map { ($0 / Double(n)).squareRoot() }
        patches = zip(targets, moved).map { target, sums in
            Patch(label: target.label, target: target.target, rmsChange: sums.map { ($0 / Double(n)).squareRoot() },
                  relativeChange: (0..<o).map { ratio(sums, [$0]) }, taskRelativeChange: tasks.map { ratio(sums, $0.outputs) })
        }
    }
}
