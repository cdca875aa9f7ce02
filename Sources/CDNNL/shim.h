// Thin C shim over oneDNN's C API (Debian's libdnnl-dev, 2.x) and the OpenMP runtime it runs on.
#ifndef NNPROBE_CDNNL_SHIM_H
#define NNPROBE_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

// Debian builds oneDNN on GNU OpenMP (DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP): a primitive runs on
// as many threads as the calling thread's OpenMP setting allows (omp.h is GCC's, not on Clang's
// include path, so the two calls are declared here).
extern int omp_get_max_threads(void);
extern void omp_set_num_threads(int count);

/// DNNL_MEMORY_ALLOCATE: a memory object that allocates its own buffer.
static inline void *nnp_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

/// DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP: oneDNN threads through OpenMP.
static inline int nnp_dnnl_runs_on_openmp(void) { return DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP; }

#endif
