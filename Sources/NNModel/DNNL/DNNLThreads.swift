import CDNNL
import Foundation

/// How many threads oneDNN's primitives may use. Debian's oneDNN runs on GNU OpenMP, whose
/// thread count is a per-thread setting; each primitive call applies this value on the calling
/// thread first. One by default: on a shared machine a second OpenMP thread that is descheduled
/// stalls every barrier (see docs/conv-backend.md).
public enum DNNLThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 1

    /// The thread count primitives run with.
    public static var current: Int { lock.withLock { count } }

    /// Sets the thread count for every later primitive call (at least 1).
    public static func set(_ threads: Int) { lock.withLock { count = max(1, threads) } }

    /// Makes the calling thread's OpenMP setting the chosen count.
    static func apply() {
        let wanted = Int32(current)
        if omp_get_max_threads() != wanted { omp_set_num_threads(wanted) }
    }
}
