/// Products of small matrices in Float with AVX2 and FMA: the few-dozen-wide layers of the
/// studies' small nets (4-16-2, 6×16 spiral classifiers), where a BLAS call costs more in
/// dispatch and packing than its arithmetic (5 products of a 4-16-2 step at batch 128: 1.9 µs
/// through OpenBLAS, 0.9 µs here).
///
/// This module is compiled for Haswell-class CPUs: call it only where
/// `nnp_cpu_runs_haswell_code()` (CCPUFeatures) says the CPU runs such code; NNLinalg's
/// `addProduct` does that once and falls back to BLAS everywhere else.
public enum SmallProducts {
    /// The widest side these kernels take (wider layers go to BLAS, whose blocking wins there).
    public static let widest = 32

    /// The most columns A·Bᵀ takes as dot products (when n is not a multiple of 8). Measured at
    /// 128 rows against OpenBLAS: n = 1-3 take 0.35-0.85 of its time (k = 8, 16, 32); from n = 4
    /// on the dot products lose (10 columns, k = 16: 1.4 µs against 0.7).
    public static let narrowestDots = 3

    /// C += op(A) · op(B) when this shape is one the kernels take, returning whether they did
    /// (false: C untouched). Row-major and contiguous: C is m × n; op(A) is m × k (A is m × k, or
    /// k × m when `transA`); op(B) is k × n (B is k × n, or n × k when `transB`).
    ///
    /// Taken: A·Bᵀ with n a multiple of 8, or with k a multiple of 8 and n at most
    /// `narrowestDots`; Aᵀ·B with n or m a multiple of 8; A·B with n a multiple of 8 — every side
    /// but the rows (m, k, m respectively) at most `widest`, any number of rows. Which kernel
    /// runs depends on the shape alone, and each kernel sums a value the same way wherever it
    /// sits, so a row's result never depends on the rows batched with it.
    ///
    /// `overwrite`: C's old values are not read (its memory need not be set): C = op(A) · op(B),
    /// the bits of C += op(A) · op(B) onto C set to +0. A shape not taken leaves C set to +0.
    @inline(never)
    public static func add(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                           overwrite: Bool = false) -> Bool {
        guard m > 0, n > 0 else { return false }
        // A·B's broadcast kernel starts its sums at +0 itself; every other product adds onto C set to +0.
        let broadcastAB = !transA && !transB && k > 0 && n % 8 == 0 && n <= widest && k <= widest
        if overwrite && !broadcastAB { c.initialize(repeating: 0, count: m * n) }
        guard k > 0 else { return false }
        switch (transA, transB) {
        case (false, true):   // C (m × n) += A (m × k) · Bᵀ (B: n × k): a layer's forward pass
            if n % 8 == 0, n <= widest, k <= widest {
                withUnsafeTemporaryAllocation(of: Float.self, capacity: k * n) { packed in
                    let bt = packed.baseAddress!
                    for t in 0..<k { for j in 0..<n { bt[t * n + j] = b[j * k + t] } }
                    addBroadcastProducts(c, a, bt, rows: m, inner: k, width: n)
                }
                return true
            }
            if k % 8 == 0, k <= widest, n <= narrowestDots {
                addDotProducts(c, a, b, rows: m, inner: k, width: n)
                return true
            }
        case (true, false):   // C (m × n) += Aᵀ (A: k × m) · B (k × n): a layer's weight gradient
            if n % 8 == 0, n <= widest, m <= widest {
                addTransposedProducts(c, a, b, rows: k, m: m, n: n)
                return true
            }
            if m % 8 == 0, m <= widest, n <= widest {   // Cᵀ = Bᵀ·A, summed apart, then added to C
                withUnsafeTemporaryAllocation(of: Float.self, capacity: n * m) { buffer in
                    let ct = buffer.baseAddress!
                    ct.initialize(repeating: 0, count: n * m)
                    addTransposedProducts(ct, b, a, rows: k, m: n, n: m)
                    for i in 0..<m { for j in 0..<n { c[i * n + j] += ct[j * m + i] } }
                }
                return true
            }
        case (false, false):  // C (m × n) += A (m × k) · B (k × n): a layer's input gradient
            if broadcastAB {
                addBroadcastProducts(c, a, b, rows: m, inner: k, width: n, fromZero: overwrite)
                return true
            }
        case (true, true):
            break
        }
        return false
    }
}
