import CLapack

/// Controls the OpenBLAS thread pool.
public enum BLASThreads {
    /// How many threads OpenBLAS may use now.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets how many threads OpenBLAS may use; small nets and parallel sweeps want 1.
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }

    /// Ends OpenBLAS's worker threads, which start with the library and spin a while waiting for
    /// work (issue 18: the spinning took a tenth of a second of a core from a 100-run sweep,
    /// whose parent does no linear algebra, and from a single small training run, which uses one
    /// thread). A later threaded call starts them again.
    public static func endWorkerThreads() { nnp_blas_end_worker_threads() }
}
