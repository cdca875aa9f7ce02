import CLapack

/// Controls the OpenBLAS thread pool.
public enum BLASThreads {
    /// How many threads OpenBLAS may use now.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Sets how many threads OpenBLAS may use; small nets and parallel sweeps want 1.
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(max(1, count))) }
}
