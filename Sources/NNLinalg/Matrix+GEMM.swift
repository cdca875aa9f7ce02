/// General matrix multiply: `c ← alpha · op(a) · op(b) + beta · c`, where op transposes when asked.
///
/// Shapes are checked before BLAS is called: op(a) is m × k, op(b) is k × n, `c` must be m × n.
@inlinable public func gemm<T: LinalgScalar>(
    _ a: Matrix<T>, transposeA: Bool = false, _ b: Matrix<T>, transposeB: Bool = false,
    alpha: T = 1, beta: T = 0, into c: inout Matrix<T>
) {
    let (m, ka) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
    let (kb, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
    precondition(ka == kb, "gemm: inner dimensions differ (\(ka) vs \(kb))")
    precondition(c.rows == m && c.cols == n, "gemm: output is \(c.rows) × \(c.cols), expected \(m) × \(n)")
    guard m > 0, n > 0 else { return }
    if ka == 0 {  // BLAS leaves C untouched when k = 0; the product is then the zero matrix.
        for i in c.storage.indices { c.storage[i] *= beta }
        return
    }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.storage.withUnsafeMutableBufferPointer { pc in
                T._gemm(
                    transA: transposeA, transB: transposeB, m: m, n: n, k: ka, alpha: alpha,
                    a: pa.baseAddress!, lda: max(1, a.cols), b: pb.baseAddress!, ldb: max(1, b.cols),
                    beta: beta, c: pc.baseAddress!, ldc: max(1, n))
            }
        }
    }
}

extension Matrix {
    /// The matrix product `self · other`.
    @inlinable public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        var c = Matrix(rows: lhs.rows, cols: rhs.cols)
        gemm(lhs, rhs, into: &c)
        return c
    }
}

extension Matrix {
    /// The Gram matrix AᵀA (n × n, symmetric, both triangles filled) via BLAS `?syrk`.
    @inlinable public func gram() -> Matrix {
        var c = Matrix(rows: cols, cols: cols)
        guard rows > 0, cols > 0 else { return c }
        storage.withUnsafeBufferPointer { a in
            c.storage.withUnsafeMutableBufferPointer { pc in
                Scalar._syrkTransposed(n: cols, k: rows, alpha: 1, a: a.baseAddress!, lda: cols, beta: 0,
                                       c: pc.baseAddress!, ldc: cols)
            }
        }
        for i in 0..<cols { for j in 0..<i { c[i, j] = c[j, i] } }
        return c
    }
}

extension Matrix {
    /// Adds AᵀA of the first `rows` rows to the upper triangle of `gram` (cols × cols, row-major)
    /// with BLAS `?syrk` (β = 1); the lower triangle is not touched. For a Gram matrix summed over
    /// blocks of rows in one reused buffer.
    @inlinable public func addGram(ofFirst rows: Int, toUpperTriangleOf gram: inout [Scalar]) {
        precondition(rows >= 0 && rows <= self.rows, "addGram: \(rows) rows of \(self.rows)")
        precondition(gram.count == cols * cols, "addGram: gram has \(gram.count) elements, expected \(cols * cols)")
        guard rows > 0, cols > 0 else { return }
        storage.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { c in
                Scalar._syrkTransposed(n: cols, k: rows, alpha: 1, a: a.baseAddress!, lda: cols, beta: 1,
                                       c: c.baseAddress!, ldc: cols)
            }
        }
    }
}
