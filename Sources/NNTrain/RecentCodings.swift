import Synchronization

/// The last few results of one pure, costly conversion (a settings section to or from its
/// stored tree), kept so that a sweep's configurations, which differ in a setting or two, convert
/// each unchanged section once instead of once per run (issue 18: JSON coding was most of a
/// 100-run sweep's parent process). Only successful conversions are kept; an input seen before
/// gives the very value computed for it then. Thread-safe.
final class RecentCodings<Input: Equatable & Sendable, Output: Sendable>: Sendable {
    private let entries = Mutex<[(input: Input, output: Output)]>([])
    private let capacity: Int

    /// Keeps the `capacity` most recently used conversions.
    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// `convert(input)`, or the value kept for an equal input.
    func value(for input: Input, _ convert: (Input) throws -> Output) rethrows -> Output {
        if let kept = entries.withLock({ entries -> Output? in
            guard let i = entries.firstIndex(where: { $0.input == input }) else { return nil }
            let entry = entries.remove(at: i)
            entries.append(entry)
            return entry.output
        }) {
            return kept
        }
        let output = try convert(input)
        entries.withLock { entries in
            entries.append((input, output))
            if entries.count > capacity { entries.removeFirst() }
        }
        return output
    }
}
