#!/usr/bin/env python3
"""Independent reference values for nnprobe's causal unit tests (`ablate`, activation patching).

Builds small nets by hand with numpy alone, writes the MLPs as checkpoints with h5py (following
docs/checkpoint-format.md), and computes with its own forward pass what ablating units or
directions, and patching them from another input, does to each task's loss and output:

- `planted.h5`: 4 inputs → 11 ReLU units → 2 outputs. Units 0–3 read x0, x1 and feed output 0
  only (task0); 4–7 read x2, x3 and feed output 1 only (task1); 8 reads x0 and x2 and feeds both
  (shared); 9 is never active (dead); 10 is a constant 0.7 (dead by its spread, but zeroing it
  shifts both outputs).
- `crosswired.h5`: its twin, with the same read-out weights — so the same weight-based classes —
  but units 0–3 and 4–7 trade their input weights: output 0 now reads task1's inputs. Both are
  scored against the planted net's outputs plus noise, so the planted net is right and its twin
  is wrong about which unit serves which task.
- `deep`: 4 → 6 ReLU → 6 ReLU (residual) → 2, seeded weights: ablation of the first layer and of
  the second layer's pre-activations, propagated through later layers.
- `conv`: 1×5×5 images → conv 3×3 (3 channels, padding 1) → ReLU → global average pool →
  linear 2: a channel ablated at every position.

Weights are rounded to float32 first (what a checkpoint stores); everything else is float64.
Run from the repository root:
    python3 Tests/NNModelAnalysesTests/Fixtures/make_ablation_fixtures.py
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(2026)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def relu(z):
    return np.maximum(z, 0.0)


def write_checkpoint(path, layers):
    """layers: (W, b, activation, residual) per layer; task multi-mult, so its task rebuilds."""
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "nnprobe.checkpoint"
        f.attrs["format_version"] = 1
        for key, value in [("nnprobe_version", "h5py"), ("created", "2026-12-01T00:00:00Z"), ("task", "multi-mult"),
                           ("config", json.dumps({"task": "multi-mult", "seed": 0})), ("status", "ok")]:
            f.attrs[key] = value
        f.attrs["seed"] = 0
        m = f.create_group("model")
        m.attrs["kind"] = "mlp"
        m.attrs["n_layers"] = len(layers)
        m.attrs["n_heads"] = 0
        m.attrs["input_width"] = layers[0][0].shape[1]
        m.attrs["output_width"] = layers[-1][0].shape[0]
        for i, (W, b, activation, residual) in enumerate(layers):
            g = m.create_group(f"layer_{i}")
            g.attrs["kind"] = "dense"
            g.attrs["activation"] = activation
            g.attrs["residual"] = int(residual)
            g.attrs["batch_norm"] = 0
            g.attrs["dropout"] = 0.0
            g["weight"] = W.astype(np.float32)
            g["bias"] = b.astype(np.float32)


# --- an MLP forward pass with an edit of one layer's values --------------------------------------

def mlp_forward(layers, X, site=None, edit=None):
    """Outputs of an MLP (list of (W, b, activation, residual)); `edit(values)` rewrites the values
    at `site` = ("post", i) (layer i's output) or ("pre", i) (its W x + b) before later layers read them."""
    h = X
    for i, (W, b, activation, residual) in enumerate(layers):
        z = h @ W.T + b
        if site == ("pre", i):
            z = edit(z)
        a = relu(z) if activation == "relu" else z
        if residual:
            a = h + a
        if site == ("post", i):
            a = edit(a)
        h = a
    return h


def mlp_values(layers, X, site):
    captured = {}

    def keep(v):
        captured["v"] = v.copy()
        return v
    mlp_forward(layers, X, site, keep)
    return captured["v"]


def set_units(units, replacement):
    def edit(v):
        v = v.copy()
        v[:, units] = replacement[:, units] if replacement.ndim == 2 else replacement[units]
        return v
    return edit


def project_out(V, replacement):
    """h ← h − (h − r) Vᵀ V for orthonormal rows V."""
    def edit(v):
        return v - (v - replacement) @ V.T @ V
    return edit


def task_losses(Y, T, tasks):
    return [float(np.mean((Y[:, outs] - T[:, outs]) ** 2)) for outs in tasks]


def relative(after, before):
    return [(a - b) / b for a, b in zip(after, before)]


def ablations(forward, values, T, tasks, unit_count, sets, bases):
    """Per mode: base losses, each unit alone, each set and each basis, zero- and mean-ablated."""
    base = task_losses(forward(None), T, tasks)
    mean = values.mean(axis=0)
    out = {"base_losses": base, "means": mean.ravel().tolist()}
    for mode, r in (("zero", np.zeros_like(mean)), ("mean", mean)):
        per_unit = [task_losses(forward(set_units([j], r)), T, tasks) for j in range(unit_count)]
        out[mode] = {
            "units": per_unit,
            "units_relative": [relative(l, base) for l in per_unit],
            "sets": [task_losses(forward(set_units(s, r)), T, tasks) for s in sets],
            "subspaces": [task_losses(forward(project_out(V, r)), T, tasks) for V in bases],
        }
    return out


def patching(forward, values, tasks, unit_sets, bases):
    """B_i = row i, A_i = row (i + N//2) % N: each target of B's run takes A's values."""
    clean = forward(None)
    n = clean.shape[0]
    partner = (np.arange(n) + n // 2) % n
    donor = values[partner]
    whole = clean[partner] - clean
    targets = [set_units(s, donor) for s in unit_sets] + [project_out(V, donor) for V in bases]
    result = {"rms_difference": np.sqrt(np.mean(whole ** 2, axis=0)).tolist(), "patches": []}
    for edit in targets:
        change = forward(edit) - clean
        moved = np.sum(change ** 2, axis=0)
        full = np.sum(whole ** 2, axis=0)
        result["patches"].append({
            "rms_change": np.sqrt(moved / n).tolist(),
            "relative_change": np.sqrt(moved / full).tolist(),
            "task_relative_change": [float(np.sqrt(moved[outs].sum() / full[outs].sum())) for outs in tasks],
        })
    return result


def orthonormal(k, d):
    q, _ = np.linalg.qr(rng.standard_normal((d, k)))
    return q.T.copy()


def classify(r, threshold=0.95, floor=0.01):
    """The documented causal rule (UnitRole.causal)."""
    gains = [max(x, 0.0) for x in r]
    if max(gains) < floor:
        return "dead"
    roots = np.sqrt(gains)
    shares = roots / roots.sum()
    top = int(np.argmax(shares))
    return f"mono task{top}" if shares[top] >= threshold else "shared"


# --- the planted net and its cross-wired twin ------------------------------------------------------

N = 512
X = rng.uniform(-1, 1, (N, 4))
task0 = [([1.0, 1.0], 0.0), ([1.0, 0.5], 0.3), ([0.5, 1.0], -0.2), ([1.0, -0.3], 0.5)]
W1 = np.zeros((11, 4))
b1 = np.zeros(11)
for k, (w, b) in enumerate(task0):
    W1[k, 0:2], b1[k] = w, b          # task0's units read x0, x1
    W1[4 + k, 2:4], b1[4 + k] = w, b  # task1's the same of x2, x3
W1[8], b1[8] = [1, 0, 1, 0], 0.5      # shared: x0 and x2
W1[9], b1[9] = [1, 0, 0, 0], -5.0     # never active on [-1, 1]
b1[10] = 0.7                          # constant
W2 = np.zeros((2, 11))
W2[0, 0:4] = W2[1, 4:8] = [0.8, 0.6, 0.7, 0.5]
W2[:, 8], W2[:, 9], W2[:, 10] = [0.6, 0.5], [0.4, 0.3], [0.5, 0.4]
b2 = np.array([-0.3, -0.2])
W1, b1, W2, b2 = f32(W1), f32(b1), f32(W2), f32(b2)
planted = [(W1, b1, "relu", False), (W2, b2, "identity", False)]
swap = [4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10]
crosswired = [(W1[swap], b1[swap], "relu", False), (W2, b2, "identity", False)]
T = mlp_forward(planted, X) + 0.05 * rng.standard_normal((N, 2))
tasks = [[0], [1]]
sets = [[0, 4, 8], [10]]
bases = [orthonormal(2, 11)]
patch_sets = [[0, 1, 2, 3], [4, 5, 6, 7], [8]]

reference = {"inputs": X.tolist(), "targets": T.tolist(), "sets": sets, "bases": [V.tolist() for V in bases],
             "patch_sets": patch_sets}
for name, layers in (("planted", planted), ("crosswired", crosswired)):
    write_checkpoint(os.path.join(HERE, f"{name}.h5"), layers)
    site = ("post", 0)
    values = mlp_values(layers, X, site)
    forward = (lambda L, s: lambda edit: mlp_forward(L, X, s, edit) if edit else mlp_forward(L, X))(layers, site)
    entry = ablations(forward, values, T, tasks, 11, sets, bases)
    entry["patching"] = patching(forward, values, tasks, patch_sets, bases)
    entry["std"] = values.std(axis=0).tolist()
    entry["classes"] = [classify(r) for r in entry["mean"]["units_relative"]]
    reference[name] = entry

# The design: the planted net's classes are what was planted; the twin's cross-wired units serve no task.
assert reference["planted"]["classes"] == ["mono task0"] * 4 + ["mono task1"] * 4 + ["shared", "dead", "dead"], reference["planted"]["classes"]
assert reference["crosswired"]["classes"][:8] == ["dead"] * 8, reference["crosswired"]["classes"]
assert all(r[0] < -0.1 for r in reference["crosswired"]["mean"]["units_relative"][:4])   # removing them helps task0
print("planted:", reference["planted"]["classes"])
print("crosswired:", reference["crosswired"]["classes"])

# A least-squares read-out of the planted hidden layer (float64, with intercept): mean-ablating
# unit j then raises task t's loss by exactly (w_tj · std h_j)², ortho's attribution squared.
H = mlp_values(planted, X, ("post", 0))
coefficients = np.linalg.lstsq(np.hstack([H, np.ones((N, 1))]), T, rcond=None)[0]
lsq = [(W1, b1, "relu", False), (coefficients[:11].T.copy(), coefficients[11].copy(), "identity", False)]
lsq_forward = lambda edit: mlp_forward(lsq, X, ("post", 0), edit) if edit else mlp_forward(lsq, X)
lsq_entry = ablations(lsq_forward, H, T, tasks, 11, [], [])
reference["least_squares"] = {"weight": lsq[1][0].tolist(), "bias": lsq[1][1].tolist(),
                              "base_losses": lsq_entry["base_losses"], "units": lsq_entry["mean"]["units"]}
increase = np.array(lsq_entry["mean"]["units"]) - np.array(lsq_entry["base_losses"])
assert np.allclose(increase, (lsq[1][0] * H.std(axis=0)).T ** 2, rtol=1e-9, atol=1e-15)

# Principal directions of the planted net's hidden layer, centred per context (4 contexts of 128 rows).
contexts = np.arange(N) // 128
H = mlp_values(planted, X, ("post", 0))
centred = H - np.stack([H[contexts == c].mean(axis=0) for c in range(4)])[contexts]
covariance = centred.T @ centred / (N - 4)
eigenvalues, eigenvectors = np.linalg.eigh(covariance)
top = eigenvectors[:, ::-1][:, :3].T
reference["subspace"] = {"contexts": contexts.tolist(), "k": 3, "projector": (top.T @ top).tolist(),
                         "explained_variance": eigenvalues[::-1][:3].tolist()}

# --- a deeper MLP: the first layer and the second layer's pre-activations ---------------------------

def seeded(out, inp):
    return f32(rng.standard_normal((out, inp)) * np.sqrt(2.0 / inp)), f32(rng.standard_normal(out) * 0.3)


deep = [(*seeded(6, 4), "relu", False), (*seeded(6, 6), "relu", True), (*seeded(2, 6), "identity", False)]
write_checkpoint(os.path.join(HERE, "deep.h5"), deep)
T_deep = mlp_forward(deep, X) + 0.1 * rng.standard_normal((N, 2))
reference["deep"] = {"targets": T_deep.tolist()}
deep_bases = [orthonormal(2, 6)]
for key, site in (("post0", ("post", 0)), ("pre1", ("pre", 1))):
    values = mlp_values(deep, X, site)
    forward = (lambda s: lambda edit: mlp_forward(deep, X, s, edit) if edit else mlp_forward(deep, X))(site)
    entry = ablations(forward, values, T_deep, tasks, 6, [[1, 2]], deep_bases)
    entry["patching"] = patching(forward, values, tasks, [[0, 5]], deep_bases)
    reference["deep"][key] = entry
reference["deep"]["bases"] = [V.tolist() for V in deep_bases]

# --- a conv net: channels ablated at every position ------------------------------------------------

def conv_forward(p, images, edit=None):
    """images (n, 1, 5, 5) → conv 3×3 pad 1 (3 channels) → ReLU [edit] → global average pool → linear 2."""
    n = images.shape[0]
    padded = np.pad(images, ((0, 0), (0, 0), (1, 1), (1, 1)))
    z = np.zeros((n, 3, 5, 5))
    for c in range(3):
        for i in range(5):
            for j in range(5):
                z[:, c, i, j] = np.sum(padded[:, 0, i:i + 3, j:j + 3] * p["conv_w"][c, 0], axis=(1, 2)) + p["conv_b"][c]
    a = relu(z)
    if edit is not None:
        a = edit(a)
    pooled = a.mean(axis=(2, 3))
    return pooled @ p["lin_w"].T + p["lin_b"], a


def channel_set(channels, replacement):
    def edit(v):
        v = v.copy()
        v[:, channels] = replacement[:, channels] if replacement.ndim == 4 else replacement[channels]
        return v
    return edit


def channel_project(V, replacement):
    """Per position: h ← h − (h − r) Vᵀ V over the channel vector."""
    def edit(v):
        d = np.moveaxis(v - replacement, 1, -1)          # (n, 5, 5, 3)
        return v - np.moveaxis(d @ V.T @ V, -1, 1)
    return edit


M = 64
images = rng.uniform(-1, 1, (M, 1, 5, 5))
conv = {"conv_w": f32(rng.standard_normal((3, 1, 3, 3)) * 0.5), "conv_b": f32(rng.standard_normal(3) * 0.2),
        "lin_w": f32(rng.standard_normal((2, 3))), "lin_b": f32(rng.standard_normal(2) * 0.1)}
clean, A = conv_forward(conv, images)
T_conv = clean + 0.05 * rng.standard_normal((M, 2))
V_conv = orthonormal(1, 3)
mean = A.mean(axis=0)
partner = (np.arange(M) + M // 2) % M
whole = clean[partner] - clean
conv_entry = {"parameters": {k: v.ravel().tolist() for k, v in conv.items()}, "inputs": images.reshape(M, -1).tolist(),
              "targets": T_conv.tolist(), "basis": V_conv.tolist(),
              "base_losses": task_losses(clean, T_conv, tasks)}
for mode, r in (("zero", np.zeros_like(mean)), ("mean", mean)):
    conv_entry[mode] = {
        "channel1": task_losses(conv_forward(conv, images, channel_set([1], r))[0], T_conv, tasks),
        "subspace": task_losses(conv_forward(conv, images, channel_project(V_conv, r))[0], T_conv, tasks),
    }
for key, edit in (("patch_channel0", channel_set([0], A[partner])), ("patch_subspace", channel_project(V_conv, A[partner]))):
    change = conv_forward(conv, images, edit)[0] - clean
    conv_entry[key] = {"rms_change": np.sqrt(np.mean(change ** 2, axis=0)).tolist(),
                       "relative_change": np.sqrt(np.sum(change ** 2, axis=0) / np.sum(whole ** 2, axis=0)).tolist()}
reference["conv"] = conv_entry

with open(os.path.join(HERE, "ablation_reference.json"), "w") as f:
    json.dump(reference, f)
