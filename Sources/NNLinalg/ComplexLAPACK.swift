import CLapack

/// The raw complex BLAS/LAPACK calls behind `ComplexMatrix`, on column-major interleaved buffers
/// whose shapes the caller has checked. A row-major `ComplexMatrix` read column-major is its
/// transpose, which has the same singular values: no routine here copies to change layout.
/// The decompositions return LAPACK's `info` and the routine that set it.
enum ComplexLAPACK {
    /// Singular values, descending, of the m × n column-major `a` (destroyed) into `s`
    /// (min(m, n) of them): bidiagonalisation (`zgebrd`), then dqds on the real bidiagonal
    /// (`dbdsqr` without vectors).
    static func singularValues(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
                               s: UnsafeMutablePointer<Double>) -> (Int, String) {
        let r = min(m, n)
        var e = [Double](repeating: 0, count: max(r - 1, 1))
        var tauq = [Double](repeating: 0, count: 2 * r), taup = tauq
        var unused = [Double](repeating: 0, count: 1)
        let reduced = e.withUnsafeMutableBufferPointer { pe in
            tauq.withUnsafeMutableBufferPointer { pq in
                taup.withUnsafeMutableBufferPointer { pp in
                    Int(nnp_zgebrd(Int32(m), Int32(n), a, Int32(lda), s, pe.baseAddress!, pq.baseAddress!, pp.baseAddress!))
                }
            }
        }
        guard reduced == 0 else { return (reduced, "zgebrd") }
        let info = e.withUnsafeMutableBufferPointer { pe in
            unused.withUnsafeMutableBufferPointer { pu in
                LAPACKE_dbdsqr(LAPACK_COL_MAJOR, m >= n ? 85 /* 'U' */ : 76 /* 'L' */, Int32(r), 0, 0, 0, s, pe.baseAddress!,
                               pu.baseAddress!, 1, pu.baseAddress!, 1, pu.baseAddress!, 1)
            }
        }
        return (Int(info), "dbdsqr")
    }

    /// The Gram matrix c (n × n, column-major) of the column-major `a`: aᴴ·a for an other × n
    /// `a` when `conjugateFirst`, else a·aᴴ for an n × other `a` (BLAS `zgemm`, faster than
    /// `zherk` at these sizes; both triangles are written).
    static func gram(conjugateFirst: Bool, n: Int, other: Int, a: UnsafePointer<Double>, lda: Int,
                     c: UnsafeMutablePointer<Double>) {
        var one: (Double, Double) = (1, 0), zero: (Double, Double) = (0, 0)
        withUnsafePointer(to: &one) { alpha in
            withUnsafePointer(to: &zero) { beta in
                cblas_zgemm(
                    CblasColMajor, conjugateFirst ? CblasConjTrans : CblasNoTrans, conjugateFirst ? CblasNoTrans : CblasConjTrans,
                    Int32(n), Int32(n), Int32(other), alpha, a, Int32(lda), a, Int32(lda), beta, c, Int32(n))
            }
        }
    }

    /// Eigenvalues, ascending, of the Hermitian n × n column-major `a` (lower triangle read,
    /// destroyed) into `w`: tridiagonalisation (`zhetrd`), then `dsterf`.
    static func hermitianEigenvalues(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> (Int, String) {
        var e = [Double](repeating: 0, count: max(n - 1, 1))
        var tau = [Double](repeating: 0, count: 2 * max(n - 1, 1))
        let reduced = e.withUnsafeMutableBufferPointer { pe in
            tau.withUnsafeMutableBufferPointer { pt in
                Int(nnp_zhetrd_lower(Int32(n), a, Int32(n), w, pe.baseAddress!, pt.baseAddress!))
            }
        }
        guard reduced == 0 else { return (reduced, "zhetrd") }
        return (e.withUnsafeMutableBufferPointer { Int(LAPACKE_dsterf(Int32(n), w, $0.baseAddress!)) }, "dsterf")
    }
}
