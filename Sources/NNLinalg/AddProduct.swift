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
@inlinable
public func addProduct<T: LinalgScalar>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                        a: UnsafePointer<T>, b: UnsafePointer<T>, c: UnsafeMutablePointer<T>,
                                        smallKernels: Bool = true) {
    if T.self == Float.self, smallKernels, cpuRunsSmallProducts,
       SmallProducts.add(transA: transA, transB: transB, m: m, n: n, k: k,
                         a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self),
                         b: UnsafeRawPointer(b).assumingMemoryBound(to: Float.self),
                         c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)) {
        return
    }
    T._gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: transA ? m : k,
            b: b, ldb: transB ? k : n, beta: 1, c: c, ldc: n)
}
