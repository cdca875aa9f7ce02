import CDNNL
import Foundation

/// How many threads oneDNN's primitives use. Debian's oneDNN runs on GNU OpenMP, whose thread
/// count is a per-thread setting, and plans each primitive for the count in force when it is
/// created: a `DNNLConvolution` takes this value when it is created and applies it on the
/// calling thread before each call (`LayerNetwork` makes new ones when it changes). One by
/// default: on a shared machine a second OpenMP thread that is descheduled stalls every
/// barrier (see docs/conv-backend.md).
public enum DNNLThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 1

    /// The thread count primitives run with.
    public static var current: Int { lock.withLock { count } }

    /// Sets the thread count for every later primitive call (at least 1).
    public static func set(_ threads: Int) { lock.withLock { count = max(1, threads) } }

    /// Makes `threads` the calling thread's OpenMP thread count.
    static func apply(_ threads: Int) {
        if omp_get_max_threads() != Int32(threads) { omp_set_num_threads(Int32(threads)) }
    }
}
