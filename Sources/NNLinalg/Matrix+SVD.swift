/// A thin singular value decomposition `A = U · diag(S) · Vᵀ`.
///
/// For an m × n matrix with r = min(m, n): `u` is m × r, `singularValues` has r values in
/// descending order, `vt` is r × n. Signs are deterministic (scikit-learn's `svd_flip`, U-based):
/// the largest-magnitude entry of every column of U is positive.
public struct SingularValueDecomposition<T: LinalgScalar>: Sendable {
    public let u: Matrix<T>
    public let singularValues: [T]
    public let vt: Matrix<T>

    @usableFromInline init(u: Matrix<T>, singularValues: [T], vt: Matrix<T>) {
        (self.u, self.singularValues, self.vt) = (u, singularValues, vt)
    }
}

/// Every decomposition here throws `NonFiniteError` for a matrix with NaN or ±∞ entries (checked
/// before LAPACK runs) and `LinalgError` when LAPACK itself fails.
extension Matrix {
    /// Singular values only, descending (LAPACK `?gesdd` with jobz = 'N').
    @inlinable public func singularValues() throws -> [Scalar] {
        try decompose(vectors: false).singularValues
    }

    /// Singular values only, descending, computed as √λ of the smaller Gram matrix (BLAS `?syrk`
    /// and `?syevd`, about 3× faster than `?gesdd` for large matrices) when that is accurate: the
    /// error of σᵢ is about ε·(σ₁/σᵢ)², so when σ_min/σ₁ < `guard` (default 1e-4) the values are
    /// recomputed with `?gesdd`. Float64 with the default guard: relative error below ~1e-8.
    @inlinable public func singularValuesFast(guard ratio: Scalar = 1e-4) throws -> [Scalar] {
        let r = Swift.min(rows, cols)
        guard r >= 64 else { return try singularValues() }
        try requireFinite()
        let gram = rows >= cols ? self.gram() : transposed.gram()
        let values = try gram.symmetricEigenvalues().map { Swift.max($0, 0).squareRoot() }
        guard let top = values.first, top > 0, values.last! >= ratio * top else { return try singularValues() }
        return values
    }

    /// The thin SVD with deterministic signs (LAPACK `?gesdd` with jobz = 'S').
    @inlinable public func svd() throws -> SingularValueDecomposition<Scalar> {
        try decompose(vectors: true)
    }

    @inlinable func decompose(vectors: Bool) throws -> SingularValueDecomposition<Scalar> {
        try requireFinite()
        let r = Swift.min(rows, cols)
        guard r > 0 else {
            return SingularValueDecomposition(
                u: Matrix(rows: rows, cols: 0), singularValues: [], vt: Matrix(rows: 0, cols: cols))
        }
        var a = storage
        var s = [Scalar](repeating: 0, count: r)
        // LAPACKE checks the leading dimensions even when no vectors are wanted: size them fully.
        var u = Matrix(rows: rows, cols: r)
        var vt = Matrix(rows: r, cols: cols)
        let info = a.withUnsafeMutableBufferPointer { pa in
            s.withUnsafeMutableBufferPointer { ps in
                u.storage.withUnsafeMutableBufferPointer { pu in
                    vt.storage.withUnsafeMutableBufferPointer { pvt in
                        Scalar._gesdd(
                            vectors: vectors, m: rows, n: cols, a: pa.baseAddress!, lda: cols,
                            s: ps.baseAddress!, u: pu.baseAddress!, ldu: u.cols,
                            vt: pvt.baseAddress!, ldvt: vt.cols)
                    }
                }
            }
        }
        guard info == 0 else { throw LinalgError(routine: "gesdd", info: info, shape: (rows, cols)) }
        guard vectors else {
            return SingularValueDecomposition(
                u: Matrix(rows: 0, cols: 0), singularValues: s, vt: Matrix(rows: 0, cols: 0))
        }
        for j in 0..<r {
            var best = 0
            for i in 0..<rows where abs(u[i, j]) > abs(u[best, j]) { best = i }
            guard u[best, j] < 0 else { continue }
            for i in 0..<rows { u[i, j] = -u[i, j] }
            for k in 0..<cols { vt[j, k] = -vt[j, k] }
        }
        return SingularValueDecomposition(u: u, singularValues: s, vt: vt)
    }
}
