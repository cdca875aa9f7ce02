#!/usr/bin/env python3
"""Single-core float32 GEMM rate (numpy's sgemm, 1024 × 1024 × 1024, best of 10): the yardstick
for how close a sweep comes to its FLOP limit. One BLAS thread (set here, before numpy loads)."""
import json
import os
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"
import numpy as np  # noqa: E402

n = 1024
a, b = np.random.default_rng(0).standard_normal((2, n, n), dtype=np.float32)
times = []
for _ in range(11):
    start = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - start)
best = min(times[1:])
print(json.dumps({"bench": "gemm", "net": "sgemm-1024", "impl": "numpy", "seconds": best, "gflops": 2 * n ** 3 / best / 1e9,
                  "peak_mib": 0}))
