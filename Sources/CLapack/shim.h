// Thin C shim over CBLAS (OpenBLAS) and LAPACKE.
#ifndef NNPROBE_CLAPACK_SHIM_H
#define NNPROBE_CLAPACK_SHIM_H

#include <cblas.h>
#include <lapacke.h>

static inline int nnp_LAPACK_ROW_MAJOR(void) { return LAPACK_ROW_MAJOR; }

#endif
