import CLapack

/// A floating-point type BLAS and LAPACK have kernels for: `Float` (s-routines) and `Double` (d-routines).
///
/// The requirements are the raw kernels, called only by this module's wrappers (`gemm`, `svd`, `eigh`);
/// every pointer they take comes from a `Matrix` whose shape has already been checked.
public protocol LinalgScalar: BinaryFloatingPoint, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C, row-major (CBLAS `?gemm`).
    static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// C ← α·AᵀA + β·C on the upper triangle, row-major, A is k × n (CBLAS `?syrk`).
    static func _syrkTransposed(n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
                                beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Divide-and-conquer SVD, row-major (LAPACKE `?gesdd`); returns LAPACK's `info`.
    static func _gesdd(
        vectors: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>, ldu: Int,
        vt: UnsafeMutablePointer<Self>, ldvt: Int) -> Int
    /// Symmetric eigendecomposition of the upper triangle, row-major (LAPACKE `?syevd`); returns `info`.
    static func _syevd(
        vectors: Bool, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
        w: UnsafeMutablePointer<Self>) -> Int
}

@inline(__always) private func blasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
    t ? CblasTrans : CblasNoTrans
}

extension Float: LinalgScalar {
    public static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, blasTranspose(transA), blasTranspose(transB), Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func _syrkTransposed(n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
    }

    public static func _gesdd(
        vectors: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
        s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
        vt: UnsafeMutablePointer<Float>, ldvt: Int
    ) -> Int {
        Int(LAPACKE_sgesdd(
            nnp_LAPACK_ROW_MAJOR(), vectors ? 83 /* 'S' */ : 78 /* 'N' */, Int32(m), Int32(n),
            a, Int32(lda), s, u, Int32(ldu), vt, Int32(ldvt)))
    }

    public static func _syevd(
        vectors: Bool, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, w: UnsafeMutablePointer<Float>
    ) -> Int {
        Int(LAPACKE_ssyevd(
            nnp_LAPACK_ROW_MAJOR(), vectors ? 86 /* 'V' */ : 78 /* 'N' */, 85 /* 'U' */, Int32(n),
            a, Int32(lda), w))
    }
}

extension Double: LinalgScalar {
    public static func _gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, blasTranspose(transA), blasTranspose(transB), Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func _syrkTransposed(n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                                       beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
    }

    public static func _gesdd(
        vectors: Bool, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
        vt: UnsafeMutablePointer<Double>, ldvt: Int
    ) -> Int {
        Int(LAPACKE_dgesdd(
            nnp_LAPACK_ROW_MAJOR(), vectors ? 83 : 78, Int32(m), Int32(n),
            a, Int32(lda), s, u, Int32(ldu), vt, Int32(ldvt)))
    }

    public static func _syevd(
        vectors: Bool, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, w: UnsafeMutablePointer<Double>
    ) -> Int {
        Int(LAPACKE_dsyevd(
            nnp_LAPACK_ROW_MAJOR(), vectors ? 86 : 78, 85, Int32(n), a, Int32(lda), w))
    }
}
