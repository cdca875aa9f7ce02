import NNAnalysis

/// What a hidden unit does for the tasks: mono-functional (for one named task), shared, or dead —
/// judged by ablation (`causal`) or by the read-out weights (`fromWeights`, as `ortho` judges).
public struct UnitRole: Equatable, Sendable {
    public let kind: ReadoutGeometry.UnitKind
    /// The task a mono-functional unit serves (nil for shared and dead units).
    public let task: String?
    /// Each task's share of the unit's effect (causal) or attribution (weights), in task order.
    public let shares: [Double]

    public init(kind: ReadoutGeometry.UnitKind, task: String?, shares: [Double]) {
        self.kind = kind
        self.task = task
        self.shares = shares
    }

    /// The causal rule. With r_t the relative loss increase of task t when the unit is ablated:
    /// dead when no r_t reaches `floor` (no task's loss rises by that much: the unit is constant,
    /// unread, or its removal even helps); else shares p_t = √max(r_t, 0) / Σ √max(r, 0), and
    /// mono (for the task with the largest share) when max p_t ≥ `threshold`, shared otherwise.
    /// The root puts the shares on the scale of `ortho`'s attribution |w_tj| · std(h_j): a unit
    /// read linearly by a least-squares read-out raises task t's loss by exactly (w_tj · std h_j)²
    /// when mean-ablated, so on equal base losses the two rules give the same shares. An infinite
    /// increase (a task whose loss was exactly 0) takes the whole share.
    public static func causal(relativeIncrease r: [Double], tasks: [String], threshold: Double, floor: Double) -> UnitRole {
        let gains = r.map { $0.isNaN ? 0 : max($0, 0) }
        guard let largest = gains.max(), largest >= floor else {
            return UnitRole(kind: .dead, task: nil, shares: gains.map { _ in 0 })
        }
        let shares: [Double]
        if largest.isInfinite {
            let infinite = Double(gains.filter(\.isInfinite).count)
            shares = gains.map { $0.isInfinite ? 1 / infinite : 0 }
        } else {
            let roots = gains.map { $0.squareRoot() }, total = roots.reduce(0, +)
            shares = roots.map { $0 / total }
        }
        return role(shares: shares, tasks: tasks, threshold: threshold)
    }

    /// The weight-based role of an `ortho` unit: its kind, and for mono units the task with the
    /// largest attribution share.
    public static func fromWeights(_ unit: ReadoutGeometry.Unit, tasks: [String]) -> UnitRole {
        guard unit.kind == .mono, let top = unit.shares.indices.max(by: { unit.shares[$0] < unit.shares[$1] }) else {
            return UnitRole(kind: unit.kind, task: nil, shares: unit.shares)
        }
        return UnitRole(kind: .mono, task: tasks[top], shares: unit.shares)
    }

    /// Mono for the first task holding ≥ `threshold`, else shared.
    static func role(shares: [Double], tasks: [String], threshold: Double) -> UnitRole {
        guard let top = shares.indices.max(by: { shares[$0] < shares[$1] }), shares[top] >= threshold else {
            return UnitRole(kind: .shared, task: nil, shares: shares)
        }
        return UnitRole(kind: .mono, task: tasks[top], shares: shares)
    }

    /// The same kind and, for mono units, the same task.
    public func agrees(with other: UnitRole) -> Bool { kind == other.kind && task == other.task }

    /// `mono task0`, `shared`, `dead`.
    public var label: String { task.map { "\(kind.rawValue) \($0)" } ?? kind.rawValue }
}
