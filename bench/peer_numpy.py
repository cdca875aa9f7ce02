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


if __name__ == "__main__":
    case, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    result = {"pca": pca, "svd-big": svd_big, "svd-many": svd_many}[case](path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peer = "scikit-learn" if case == "pca" else "numpy"
    print(json.dumps({"bench": case, "net": case, "impl": peer, "seconds": seconds, "peak_mib": peak, "check": result}))
