// Thin C shim over CBLAS (OpenBLAS) and LAPACKE.
#ifndef NNPROBE_CLAPACK_SHIM_H
#define NNPROBE_CLAPACK_SHIM_H

#include <cblas.h>
#include <lapacke.h>

static inline int nnp_LAPACK_ROW_MAJOR(void) { return LAPACK_ROW_MAJOR; }

// OpenBLAS's own (exported, undeclared) call that ends its worker threads, as it does before a
// fork; the next threaded call starts them again.
int blas_thread_shutdown_(void);
static inline void nnp_blas_end_worker_threads(void) { blas_thread_shutdown_(); }

// Complex (Float64) routines on column-major matrices whose entries are interleaved (re, im)
// doubles: Swift cannot import C's `double _Complex`, so the casts happen here.

/// Reduces the m × n complex matrix `a` (destroyed) to real bidiagonal form: diagonal `d`
/// (min(m, n)), off-diagonal `e` (min(m, n) − 1); upper when m ≥ n, else lower. `tauq` and `taup`
/// hold min(m, n) complex scalars each.
static inline int nnp_zgebrd(int m, int n, double *a, int lda, double *d, double *e, double *tauq, double *taup) {
    return LAPACKE_zgebrd(LAPACK_COL_MAJOR, m, n, (lapack_complex_double *)a, lda, d, e,
                          (lapack_complex_double *)tauq, (lapack_complex_double *)taup);
}

/// Reduces the Hermitian n × n matrix `a` (lower triangle read, destroyed) to real tridiagonal
/// form: diagonal `d` (n), off-diagonal `e` (n − 1); `tau` holds n − 1 complex scalars.
static inline int nnp_zhetrd_lower(int n, double *a, int lda, double *d, double *e, double *tau) {
    return LAPACKE_zhetrd(LAPACK_COL_MAJOR, 'L', n, (lapack_complex_double *)a, lda, d, e,
                          (lapack_complex_double *)tau);
}

#endif
