#!/usr/bin/env python3
"""Independent exact linear-region counts for nnprobe's `regions` tests.

Writes small 2-D ReLU nets with h5py alone (following docs/checkpoint-format.md) and counts
their linear regions on [-1, 1]^2 with its own implementation: a region is kept as the set of
half-plane constraints that define it, and its polygon is recomputed from scratch by
intersecting the box with those half-planes (rather than clipping pieces incrementally, as
nnprobe does). Run from the repository root:
    python3 Tests/NNRegionsTests/Fixtures/make_fixtures.py
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BOX = (-1.0, 1.0, -1.0, 1.0)


def polygon_from_constraints(constraints):
    """Vertices of {p in box : a.p + c >= 0 for all (a, c)} by half-plane intersection."""
    poly = [(BOX[0], BOX[2]), (BOX[1], BOX[2]), (BOX[1], BOX[3]), (BOX[0], BOX[3])]
    for (a0, a1, c) in constraints:
        out = []
        for i, p in enumerate(poly):
            q = poly[(i + 1) % len(poly)]
            fp, fq = a0 * p[0] + a1 * p[1] + c, a0 * q[0] + a1 * q[1] + c
            if fp >= 0:
                out.append(p)
            if (fp > 0 > fq) or (fp < 0 < fq):
                t = fp / (fp - fq)
                out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
        poly = out
        if len(poly) < 3:
            return []
    return poly


def area(poly):
    return 0.5 * abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(poly, poly[1:] + poly[:1]))) if poly else 0.0


def count_regions(layers):
    """layers: list of (W, b, relu, residual). Returns the count after each layer."""
    # A region: its constraints and its affine hidden state H (w x 3 over (u, v, 1)).
    regions = [([], np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))]
    counts = []
    for W, b, relu, residual in layers:
        nxt = []
        for constraints, H in regions:
            Z = W @ H
            Z[:, 2] += b
            pieces = [(constraints, [])]
            if relu:
                for j in range(W.shape[0]):
                    split = []
                    for cons, bits in pieces:
                        line = tuple(Z[j])
                        scale = abs(line[0]) + abs(line[1]) + abs(line[2])
                        for sign, bit in ((1.0, 1), (-1.0, 0)):
                            cand = cons + [(sign * line[0], sign * line[1], sign * line[2])]
                            if area(polygon_from_constraints(cand)) > 1e-12 and scale > 0:
                                split.append((cand, bits + [bit]))
                        if scale == 0:
                            split.append((cons, bits + [1 if line[2] > 0 else 0]))
                    pieces = split
            for cons, bits in pieces:
                state = Z.copy()
                if relu:
                    state[np.array(bits) == 0] = 0.0
                if residual:
                    state = state + H
                nxt.append((cons, state))
        regions = nxt
        counts.append(len(regions))
    return counts


def write(path, layers):
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "nnprobe.checkpoint"
        f.attrs["format_version"] = 1
        for key, value in [("nnprobe_version", "h5py"), ("created", "2026-11-22T00:00:00Z"), ("task", "external"), ("config", "{}")]:
            f.attrs[key] = value
        f.attrs["seed"] = 0
        m = f.create_group("model")
        m.attrs["n_layers"] = len(layers)
        for i, (W, b, relu, residual) in enumerate(layers):
            g = m.create_group(f"layer_{i}")
            g.attrs["activation"] = "relu" if relu else "identity"
            g.attrs["residual"] = int(residual)
            g["weight"] = W.astype(np.float32)
            g["bias"] = b.astype(np.float32)


rng = np.random.default_rng(11)
nets = {
    "net_2_8_8_2": [(8, 2, True, False), (8, 8, True, False), (2, 8, False, False)],
    "net_2_10_10_10_3": [(10, 2, True, False), (10, 10, True, True), (10, 10, True, False), (3, 10, False, False)],
    "net_2_16_1": [(16, 2, True, False), (1, 16, False, False)],
}
reference = {}
for name, shapes in nets.items():
    layers = []
    for out, inp, relu, residual in shapes:
        W = (rng.standard_normal((out, inp)) * np.sqrt(2.0 / inp)).astype(np.float32).astype(np.float64)
        b = (rng.standard_normal(out) * 0.5).astype(np.float32).astype(np.float64)
        layers.append((W, b, relu, residual))
    write(os.path.join(HERE, f"{name}.h5"), layers)
    reference[name] = count_regions(layers)
with open(os.path.join(HERE, "regions_reference.json"), "w") as f:
    json.dump(reference, f)
print(reference)
