#!/usr/bin/env python3
"""Reference values for NNAnalysisTests, computed independently with numpy and scikit-learn,
and a PyTorch MLP saved as safetensors (F32, F16, BF16) for the import/svd tests.

Run from the repository root:  python3 Tests/NNAnalysisTests/Fixtures/make_fixtures.py
Needs numpy, scikit-learn, torch, safetensors (pip).
"""
import json
import os

import numpy as np
from sklearn.decomposition import PCA

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def spectrum(w):
    s = np.linalg.svd(w, compute_uv=False)
    m, n = w.shape
    p = s / s.sum()
    p = p[p > 0]
    scale = np.linalg.norm(w) / np.sqrt(m * n)
    edge = scale * (np.sqrt(m) + np.sqrt(n))
    return {
        "rows": m, "cols": n, "matrix": w.ravel().tolist(),
        "singular_values": s.tolist(),
        "spectral_norm": float(s[0]), "frobenius_norm": float(np.linalg.norm(w)),
        "stable_rank": float((s ** 2).sum() / s[0] ** 2),
        "effective_rank": float(np.exp(-(p * np.log(p)).sum())),
        "participation_ratio": float((s ** 2).sum() ** 2 / (s ** 4).sum()),
        "numerical_rank": int(np.linalg.matrix_rank(w.astype(np.float32))),
        "above_random_edge": int((s > edge * (1 + 1e-12)).sum()),
        "random_matrix_edge": float(edge),
    }


matrices = [
    rng.standard_normal((1, 1)), rng.standard_normal((2, 1)), rng.standard_normal((1, 3)),
    rng.standard_normal((3, 5)), rng.standard_normal((16, 4)), rng.standard_normal((4, 16)),
    rng.standard_normal((64, 3)) @ rng.standard_normal((3, 48)),           # rank 3
    np.diag([3.0, 3.0, 2.99, 1.0, 0.5]) + 0.0,                             # a near-equal group
    rng.standard_normal((40, 40)) + 8 * np.outer(rng.standard_normal(40), rng.standard_normal(40)) / 40,  # spike above the bulk
]
spectra = [spectrum(w.astype(np.float32).astype(np.float64)) for w in matrices]

# PCA: float32 activations, plain (sklearn) and per-context centred (numpy).
n, d = 1500, 12
latent = rng.standard_normal((n, 3)) * [3.0, 1.5, 0.5]
x = (latent @ rng.standard_normal((3, d)) + 0.05 * rng.standard_normal((n, d)) + 2.0).astype(np.float32)
contexts = np.repeat(np.arange(5), n // 5).astype(np.int32)
shifts = rng.standard_normal((5, d)).astype(np.float32) * 4
xc = x + shifts[contexts]
pca = PCA(svd_solver="full").fit(x.astype(np.float64))
x64 = xc.astype(np.float64)
centred = np.concatenate([x64[contexts == c] - x64[contexts == c].mean(axis=0) for c in range(5)])
within = centred.T @ centred / (n - 5)
eigen = np.sort(np.linalg.eigvalsh(within))[::-1]
pca_fixture = {
    "n": n, "d": d, "x": x.ravel().tolist(), "x_contexts": xc.ravel().tolist(), "contexts": contexts.tolist(),
    "explained_variance": pca.explained_variance_.tolist(),
    "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
    "components": pca.components_.tolist(),
    "within_context_explained_variance": eigen.tolist(),
}

# Read-out cosines and interference.
w_out = rng.standard_normal((2, 16))
unit_std = np.abs(rng.standard_normal(16))
unit_std[3] = 0.0
a = np.abs(w_out) * unit_std
shares = (a / a.sum(axis=0)).T
cos = float(w_out[0] @ w_out[1] / np.linalg.norm(w_out[0]) / np.linalg.norm(w_out[1]))
readout_fixture = {
    "weight": w_out.ravel().tolist(), "unit_std": unit_std.tolist(), "cosine": cos,
    "angle_degrees": float(np.degrees(np.arccos(cos))),
    "interference": [float((w_out[0] @ w_out[1] / np.linalg.norm(w_out[0])) ** 2),
                     float((w_out[1] @ w_out[0] / np.linalg.norm(w_out[1])) ** 2)],
    "shares": np.nan_to_num(shares).tolist(),
}

# Principal angles between two random 3-dimensional subspaces of R^8 (scipy's definition).
from scipy.linalg import subspace_angles  # noqa: E402
qa = np.linalg.qr(rng.standard_normal((8, 3)))[0].T
qb = np.linalg.qr(rng.standard_normal((8, 3)))[0].T
angles = np.sort(np.degrees(subspace_angles(qa.T, qb.T)))
angle_fixture = {"a": qa.ravel().tolist(), "b": qb.ravel().tolist(), "angles_degrees": angles.tolist()}

with open(os.path.join(HERE, "reference.json"), "w") as f:
    json.dump({"spectra": spectra, "pca": pca_fixture, "readout": readout_fixture, "angles": angle_fixture}, f)

# A PyTorch MLP as safetensors, with numpy's singular values of each weight.
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

torch.manual_seed(3)
net = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                          torch.nn.Linear(16, 2))
state = {k: v.detach().contiguous() for k, v in net.state_dict().items()}
x_probe = torch.rand(5, 4) * 2 - 1
reference = {"inputs": x_probe.numpy().ravel().tolist(), "outputs": net(x_probe).detach().numpy().ravel().tolist()}
for dtype, suffix in [(torch.float32, "f32"), (torch.float16, "f16"), (torch.bfloat16, "bf16")]:
    converted = {k: v.to(dtype) for k, v in state.items()}
    save_file(converted, os.path.join(HERE, f"mlp_{suffix}.safetensors"))
    reference[suffix] = {k: {"shape": list(v.shape), "values": v.float().numpy().ravel().tolist(),
                             "singular_values": np.linalg.svd(v.float().numpy(), compute_uv=False).tolist() if v.dim() == 2 else None}
                         for k, v in converted.items()}
with open(os.path.join(HERE, "safetensors_reference.json"), "w") as f:
    json.dump(reference, f)
print("wrote fixtures to", HERE)
