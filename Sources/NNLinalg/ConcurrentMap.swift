import Dispatch
import Foundation
import Synchronization

/// Cores this process may use, read once: each read of `activeProcessorCount` parses cgroup quota files.
public let availableCores = ProcessInfo.processInfo.activeProcessorCount

extension Array where Element: Sendable {
    /// `transform` applied to every element, on all cores at once, results in order.
    ///
    /// Meant for independent jobs of some size (a decomposition per weight matrix, a checkpoint
    /// per file, a file's JSON): while it runs, OpenBLAS is held to one thread per call, because
    /// a matrix per core beats two cores on one matrix for LAPACK's memory-bound reductions.
    /// Every element is computed even if one throws; the first error (in element order) is
    /// rethrown, with `transform`'s own error type (a transform that cannot throw needs no `try`).
    public func concurrentMap<T: Sendable, E: Error>(_ transform: @Sendable (Element) throws(E) -> T) throws(E) -> [T] {
        guard count > 1, availableCores > 1 else { return try map(transform) }
        let threads = BLASThreads.current
        BLASThreads.set(1)
        defer { BLASThreads.set(threads) }
        let results = Mutex([Result<T, E>?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let result = Result { () throws(E) -> T in try transform(self[i]) }
            results.withLock { $0[i] = result }
        }
        var values: [T] = []
        values.reserveCapacity(count)
        for result in results.withLock({ $0 }) { values.append(try result!.get()) }
        return values
    }
}
