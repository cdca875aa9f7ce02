import CCPUFeatures
import NNSmallProducts

/// Whether this CPU runs NNSmallProducts' kernels (AVX2, FMA): read once.
public let cpuRunsSmallProducts = nnp_cpu_runs_haswell_code() != 0

/// C += op(A) · op(B) on contiguous row-major buffers: C is m × n, op(A) m × k, op(B) k × n
/// (A stored k × m when `transA`, B stored n × k when `transB`).
///
/// With `smallKernels`, small Float shapes (`SmallProducts`) go to NNSmallProducts' AVX2 kernels
/// on CPUs that have them; everything else, and every Double, to BLAS `?gemm`. The choice
/// depends on the shape and the CPU alone, so the same run gives the same bits on the same machine.
///
/// `overwrite`: C = op(A) · op(B), with the bits of C += op(A) · op(B) onto C set to +0; C's old
/// values are not read (its memory need not be set).
@inlinable
public func addProduct<T: LinalgScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                        a: UnsafePointer<T>, b: UnsafePointer<T>, c: UnsafeMutablePointer<T>,
                                        smallKernels: Bool = true, overwrite: Bool = false) {
    if T.self == Float.self, smallKernels, cpuRunsSmallProducts {
        if SmallProducts.add(transA: transA, transB: transB, m: m, n: n, k: k,
                             a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self),
                             b: UnsafeRawPointer(b).assumingMemoryBound(to: Float.self),
                             c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), overwrite: overwrite) {
            return
        }   // not taken: C is set to +0 already when overwriting
    } else if overwrite, m > 0, n > 0 {
        c.initialize(repeating: 0, count: m * n)
    }
    T._gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: transA ? m : k,
            b: b, ldb: transB ? k : n, beta: 1, c: c, ldc: n)
}
