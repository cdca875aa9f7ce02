/// Eigendecomposition of a symmetric matrix `A = V · diag(λ) · Vᵀ`.
///
/// Eigenvalues are in descending order; `vectors` holds the matching unit eigenvectors as rows
/// (row k belongs to `values[k]`), each signed so its largest-magnitude entry is positive.
public struct SymmetricEigendecomposition<T: LinalgScalar>: Sendable {
    public let values: [T]
    public let vectors: Matrix<T>

    @usableFromInline init(values: [T], vectors: Matrix<T>) {
        (self.values, self.vectors) = (values, vectors)
    }
}

extension Matrix {
    /// Eigenvalues and eigenvectors of a symmetric matrix (LAPACK `?syevd`, upper triangle read).
    /// Throws `NonFiniteError` for NaN or ±∞ entries (checked first), `LinalgError` if LAPACK fails.
    @inlinable public func symmetricEigen() throws -> SymmetricEigendecomposition<Scalar> {
        precondition(rows == cols, "symmetricEigen needs a square matrix, got \(rows) × \(cols)")
        try requireFinite()
        let n = rows
        guard n > 0 else { return SymmetricEigendecomposition(values: [], vectors: Matrix(rows: 0, cols: 0)) }
        var a = storage
        var w = [Scalar](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                Scalar._syevd(vectors: true, n: n, a: pa.baseAddress!, lda: n, w: pw.baseAddress!)
            }
        }
        guard info == 0 else { throw LinalgError(routine: "syevd", info: info, shape: (n, n)) }
        // LAPACK returns ascending values with eigenvectors in columns; reorder to descending rows.
        var vectors = Matrix(rows: n, cols: n)
        for k in 0..<n {
            let column = n - 1 - k
            var best = 0
            for i in 0..<n where abs(a[i * n + column]) > abs(a[best * n + column]) { best = i }
            let sign: Scalar = a[best * n + column] < 0 ? -1 : 1
            for i in 0..<n { vectors[k, i] = sign * a[i * n + column] }
        }
        return SymmetricEigendecomposition(values: Array(w.reversed()), vectors: vectors)
    }
}

extension Matrix {
    /// Eigenvalues only of a symmetric matrix, descending (LAPACK `?syevd` with jobz = 'N').
    /// Throws `NonFiniteError` for NaN or ±∞ entries (checked first), `LinalgError` if LAPACK fails.
    @inlinable public func symmetricEigenvalues() throws -> [Scalar] {
        precondition(rows == cols, "symmetricEigenvalues needs a square matrix, got \(rows) × \(cols)")
        guard rows > 0 else { return [] }
        try requireFinite()
        var a = storage
        var w = [Scalar](repeating: 0, count: rows)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in Scalar._syevd(vectors: false, n: rows, a: pa.baseAddress!, lda: rows, w: pw.baseAddress!) }
        }
        guard info == 0 else { throw LinalgError(routine: "syevd", info: info, shape: (rows, rows)) }
        return w.reversed()
    }
}
