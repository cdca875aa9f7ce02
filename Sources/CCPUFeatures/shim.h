// Thin C shim: what the CPU offers, read with CPUID (Swift has no intrinsic for it).
#ifndef NNPROBE_CCPUFEATURES_SHIM_H
#define NNPROBE_CCPUFEATURES_SHIM_H

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/// 1 when the CPU and the OS run the instructions Clang's `haswell` target emits (AVX, AVX2,
/// FMA, F16C, MOVBE, BMI1, BMI2, LZCNT; the OS saving the AVX registers), else 0. On other
/// architectures, 0.
static inline int nnp_cpu_runs_haswell_code(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned fma = 1u << 12, movbe = 1u << 22, osxsave = 1u << 27, avx = 1u << 28, f16c = 1u << 29;
    if ((c & (fma | movbe | osxsave | avx | f16c)) != (fma | movbe | osxsave | avx | f16c)) return 0;
    unsigned low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    if ((low & 6) != 6) return 0;   // the OS saves the SSE and AVX registers
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    const unsigned bmi1 = 1u << 3, avx2 = 1u << 5, bmi2 = 1u << 8;
    if ((b & (bmi1 | avx2 | bmi2)) != (bmi1 | avx2 | bmi2)) return 0;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    return (c >> 5) & 1;   // LZCNT
#else
    return 0;
#endif
}

#endif
