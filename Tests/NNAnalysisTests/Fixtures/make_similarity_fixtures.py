#!/usr/bin/env python3
"""Writes similarity_reference.json: random representations and the published measures of every
pair, computed here with numpy only, by routes independent of nnprobe's feature-space formulas:

- linear CKA (Kornblith et al. 2019): HSIC₀ = tr(KHLH)/(n−1)² on explicit n × n Gram matrices;
- debiased CKA (Nguyen, Raghu & Kornblith 2021): Song et al.'s (2012) unbiased HSIC₁ on explicit
  Gram matrices of the *uncentred* rows (the estimator is translation-invariant);
- Procrustes and angular shape distance (Williams et al. 2021): centred, unit Frobenius norm, the
  narrower zero-padded, the optimal rotation Q = UVᵀ from numpy's SVD, then ‖X − YQ‖_F and
  arccos⟨X, YQ⟩;
- SVCCA (Raghu et al. 2017): numpy SVD of the centred rows, the top directions holding 99 % of
  σ², then CCA as the singular values of Σxx^(−1/2) Σxy Σyy^(−1/2) (eigh inverse square roots).

Run from anywhere: python3 Tests/NNAnalysisTests/Fixtures/make_similarity_fixtures.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20261202)


def hsic0(K, L):
    n = K.shape[0]
    H = np.eye(n) - np.ones((n, n)) / n
    return np.trace(K @ H @ L @ H) / (n - 1) ** 2


def hsic1(K, L):
    n = K.shape[0]
    Kt, Lt = K.copy(), L.copy()
    np.fill_diagonal(Kt, 0)
    np.fill_diagonal(Lt, 0)
    one = np.ones(n)
    return (np.trace(Kt @ Lt) + (one @ Kt @ one) * (one @ Lt @ one) / ((n - 1) * (n - 2))
            - 2 / (n - 2) * (one @ Kt @ Lt @ one)) / (n * (n - 3))


def cka(x, y, estimator):
    K, L = x @ x.T, y @ y.T
    return estimator(K, L) / np.sqrt(estimator(K, K) * estimator(L, L))


def shape(x, y):
    x = x - x.mean(0)
    y = y - y.mean(0)
    x = x / np.linalg.norm(x)
    y = y / np.linalg.norm(y)
    width = max(x.shape[1], y.shape[1])
    x = np.pad(x, ((0, 0), (0, width - x.shape[1])))
    y = np.pad(y, ((0, 0), (0, width - y.shape[1])))
    u, _, vt = np.linalg.svd(y.T @ x)
    q = u @ vt                                  # argmin_Q ‖x − yQ‖ over orthogonal Q
    aligned = y @ q
    return float(np.linalg.norm(x - aligned)), float(np.arccos(min(1.0, np.sum(x * aligned))))


def svcca_subspace(x, keep=0.99):
    x = x - x.mean(0)
    u, s, _ = np.linalg.svd(x, full_matrices=False)
    ratio = np.cumsum(s ** 2) / np.sum(s ** 2)
    k = int(np.argmax(ratio >= keep - 1e-12)) + 1
    return u[:, :k] * s[:k], k


def inverse_sqrt(c):
    w, v = np.linalg.eigh(c)
    return v @ np.diag(w ** -0.5) @ v.T


def svcca(x, y):
    a, ka = svcca_subspace(x)
    b, kb = svcca_subspace(y)
    n = a.shape[0]
    sxx, syy, sxy = a.T @ a / (n - 1), b.T @ b / (n - 1), a.T @ b / (n - 1)
    rho = np.linalg.svd(inverse_sqrt(sxx) @ sxy @ inverse_sqrt(syy), compute_uv=False)
    return float(np.mean(np.minimum(rho, 1))), [ka, kb], np.minimum(rho, 1).tolist()


def representations(n, widths, shared):
    """Representations of n rows sharing a `shared`-dimensional latent (so pairs are related),
    with per-unit scales, offsets and noise (small for most units, so SVCCA's 99 % cut drops some
    directions); uncentred on purpose."""
    latent = rng.standard_normal((n, shared))
    out = []
    for p in widths:
        mix = rng.standard_normal((shared, p)) * rng.uniform(0.2, 2, p)
        noise = rng.standard_normal((n, p)) * rng.choice([0.01, 0.05, 0.4], p)
        out.append(np.tanh(latent @ mix) + noise + rng.uniform(-2, 2, p))
    return out


cases = []
for name, n, widths, shared in [("square", 60, [8, 8, 8], 3), ("different widths", 45, [5, 11, 3], 4),
                                ("few rows many units", 12, [30, 40], 2), ("tall", 200, [16, 16, 16, 16], 6)]:
    reps = representations(n, widths, shared)
    pairs = []
    for i in range(len(reps)):
        for j in range(i + 1, len(reps)):
            procrustes, angular = shape(reps[i], reps[j])
            mean_rho, kept, rho = svcca(reps[i], reps[j])
            pairs.append({"i": i, "j": j, "cka": cka(reps[i], reps[j], hsic0),
                          "debiased_cka": cka(reps[i], reps[j], hsic1), "procrustes": procrustes,
                          "angular": angular, "svcca": mean_rho, "svcca_kept": kept, "canonical_correlations": rho})
    cases.append({"name": name, "rows": n, "widths": widths,
                  "representations": [r.ravel().tolist() for r in reps], "pairs": pairs})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "similarity_reference.json")
with open(path, "w") as f:
    json.dump({"generator": "make_similarity_fixtures.py", "cases": cases}, f)
print("wrote", path)
