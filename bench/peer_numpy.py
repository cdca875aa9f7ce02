#!/usr/bin/env python3
"""numpy / scikit-learn peers of the analysis benchmarks, reading the same HDF5 files with h5py.
Prints one JSON line with wall time and peak memory (the whole process, like nnprobe's)."""
import glob
import json
import resource
import sys
import time

import h5py
import numpy as np


def pca(path):
    from sklearn.decomposition import PCA
    with h5py.File(path, "r") as f:
        x = f["layers/layer_0/post"][()]
    return PCA(svd_solver="covariance_eigh").fit(x).explained_variance_ratio_[:3].tolist()


def svd_big(path):
    out = []
    with h5py.File(path, "r") as f:
        for i in range(int(f["model"].attrs["n_layers"])):
            out.append(float(np.linalg.svd(f[f"model/layer_{i}/weight"][()].astype(np.float64), compute_uv=False)[0]))
    return out[:3]


def svd_many(directory):
    top = []
    for path in sorted(glob.glob(f"{directory}/*.h5")):
        with h5py.File(path, "r") as f:
            for i in range(int(f["model"].attrs["n_layers"])):
                top.append(float(np.linalg.svd(f[f"model/layer_{i}/weight"][()].astype(np.float64), compute_uv=False)[0]))
    return top[:3]


def debiased_cka_matrix(reps):
    """Debiased linear CKA of every pair, by nnprobe's method (feature space, never n × n): the
    centred representations side by side, one Gram matrix, each pair's block and row norms."""
    n, k = reps[0].shape[0], len(reps)
    centred = [r - r.mean(0) for r in reps]
    z = np.concatenate(centred, axis=1)                                    # (n, Σp)
    gram = z.T @ z
    edges = np.cumsum([0] + [r.shape[1] for r in reps])
    cross = np.array([[np.sum(gram[edges[i]:edges[i + 1], edges[j]:edges[j + 1]] ** 2) for j in range(k)] for i in range(k)])
    norms = np.stack([np.einsum("ij,ij->i", c, c) for c in centred])      # (k, n)
    squared = norms.sum(1)
    hsic = cross - n / (n - 2) * (norms @ norms.T) + np.outer(squared, squared) / ((n - 1) * (n - 2))
    scale = np.sqrt(np.diag(hsic))
    return hsic / np.outer(scale, scale)


def similarity(directory):
    paths = sorted(glob.glob(f"{directory}/*.h5"))
    reps, rows = [], None
    for path in paths:
        with h5py.File(path, "r") as f:
            inputs = f["inputs"][()]
            if rows is None:
                rows = inputs
            elif not np.array_equal(inputs, rows):     # the check nnprobe makes
                sys.exit(f"{path}: its inputs are not the rows of {paths[0]}")
            reps.append(f["layers/layer_0/post"][()].astype(np.float64))
    matrix = debiased_cka_matrix(reps)
    off = matrix[np.triu_indices(len(reps), 1)]
    return [float(off.mean()), float(off.min()), float(off.max())]


def similarity_compute():
    """The computation alone on data shaped like nnprobe-bench's (100 × 10,000 × 16, float32 in)."""
    rng = np.random.default_rng(1)
    latent = rng.uniform(-1, 1, (10_000, 6))
    reps = [np.maximum(latent @ rng.uniform(-1, 1, (6, 16)) + 0.3 * rng.uniform(-1, 1, (10_000, 16)), 0).astype(np.float32)
            for _ in range(100)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        matrix = debiased_cka_matrix([r.astype(np.float64) for r in reps])
        best = min(best, time.perf_counter() - start)
    return best, float(matrix[np.triu_indices(100, 1)].mean())


def lcg_kernel(shape, seed):
    """The kernel nnprobe-bench builds: x ← 1664525·x + 1013904223 (mod 2³²), weight = (x >> 8)/2²⁴ − ½."""
    x, out = seed, []
    for _ in range(int(np.prod(shape))):
        x = (1664525 * x + 1013904223) % 2 ** 32
        out.append((x >> 8) / 2 ** 24 - 0.5)
    return np.array(out).reshape(shape)


def conv_spectrum():
    """Sedghi et al.'s method in numpy, the strong way: the kernel's fft2 over the 32×32 grid, one
    batched SVD over all 1,024 frequencies (values only), sorted; best of 3 after a warm-up."""
    k = lcg_kernel((64, 64, 3, 3), 2026)
    best, cpu = float("inf"), float("inf")
    for _ in range(4):
        start, start_cpu = time.perf_counter(), time.process_time()
        values = np.linalg.svd(np.fft.fft2(k, (32, 32)).transpose(2, 3, 0, 1), compute_uv=False).ravel()
        values = np.sort(values)[::-1]
        best, cpu = min(best, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
    assert values.size == 65536
    return best, cpu, float(values[0])


def probe_fit(directory, tol):
    """scikit-learn's LogisticRegression(C=1, lbfgs) on the probe data, fit alone (data read first)."""
    from sklearn.linear_model import LogisticRegression
    x = np.fromfile(f"{directory}/features.f32", dtype="<f4").reshape(10_000, 128).astype(np.float64)
    y = np.fromfile(f"{directory}/labels.i32", dtype="<i4")
    start = time.perf_counter()
    model = LogisticRegression(C=1.0, tol=tol, max_iter=100_000).fit(x, y)
    seconds = time.perf_counter() - start
    return seconds, {"iterations": int(model.n_iter_[0]), "train_accuracy": float(model.score(x, y))}


if __name__ == "__main__":
    if sys.argv[1] == "conv-spectrum":   # run with OPENBLAS_NUM_THREADS=1 (one core, as nnprobe's side)
        seconds, cpu, check = conv_spectrum()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"bench": "conv-spectrum", "net": "conv-spectrum", "impl": "numpy", "round": int(sys.argv[2]),
                          "seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak, "check": check}))
    elif sys.argv[1] in ("probe-fit", "probe-fit-tight"):
        tol = 1e-4 if sys.argv[1] == "probe-fit" else 1e-10
        seconds, check = probe_fit(sys.argv[2], tol)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"bench": sys.argv[1], "net": sys.argv[1], "impl": "scikit-learn", "seconds": seconds, "peak_mib": peak,
                          "check": check}))
        sys.exit(0)
    if sys.argv[1] == "similarity-compute":
        seconds, check = similarity_compute()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"bench": "similarity-compute", "net": "similarity-compute", "impl": "numpy", "seconds": seconds,
                          "peak_mib": peak, "check": check}))
        sys.exit(0)
    case, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    result = {"pca": pca, "svd-big": svd_big, "svd-many": svd_many, "similarity": similarity}[case](path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peer = "scikit-learn" if case == "pca" else "numpy"
    print(json.dumps({"bench": case, "net": case, "impl": peer, "seconds": seconds, "peak_mib": peak, "check": result}))
