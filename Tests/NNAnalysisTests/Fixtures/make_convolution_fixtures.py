#!/usr/bin/env python3
"""Writes convolution_reference.json: conv kernels and the singular values of the layers they make,
computed independently of nnprobe's Fourier method:

- the layer's operator as an explicit matrix: PyTorch's conv2d applied to every basis image
  (circular padding by torch.nn.functional.pad(mode="circular"), zeros by conv2d's own padding,
  any stride), cross-checked against the same matrix built from the definition with index
  arithmetic (which also covers kernels larger than the grid, where torch's circular padding
  refuses); then numpy's SVD of that matrix;
- PyTorch's spectral_norm view: numpy's SVD of weight.reshape(C_out, -1);
- WeightWatcher's view: numpy's SVD of every weight[:, :, a, b], pooled;
- the 64→64 3×3 layer on 32×32 (too large to unroll): numpy's fft2 of the kernel over the grid,
  then a batched SVD over all 1,024 frequencies (no conjugate-symmetry shortcut), sampled.

Kernels come from a 32-bit LCG (x ← 1664525·x + 1013904223 mod 2³², weight = (x >> 8)/2²⁴ − ½)
so the Swift test can rebuild the large one exactly.

Run from anywhere: python3 Tests/NNAnalysisTests/Fixtures/make_convolution_fixtures.py
Needs numpy and torch.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F


def lcg_kernel(shape, seed):
    x, out = seed, []
    for _ in range(int(np.prod(shape))):
        x = (1664525 * x + 1013904223) % 2 ** 32
        out.append((x >> 8) / 2 ** 24 - 0.5)
    return np.array(out).reshape(shape)


def torch_operator(k, h, w, stride, padding):
    """Columns: the layer's output for each basis image (C_in·h·w of them), flattened."""
    co, ci, kh, kw = k.shape
    basis = torch.eye(ci * h * w, dtype=torch.float64).reshape(-1, ci, h, w)
    weight = torch.from_numpy(k)
    if padding == "circular":
        top, left = (kh - 1) // 2, (kw - 1) // 2
        x = F.pad(basis, (left, kw - 1 - left, top, kh - 1 - top), mode="circular")
        y = F.conv2d(x, weight, stride=stride)
    else:
        y = F.conv2d(basis, weight, stride=stride, padding=padding)
    return y.reshape(ci * h * w, -1).T.numpy()


def circular_operator(k, h, w, stride):
    """The same for circular padding, from y[o, i, j] = Σ K[o, c, a, b] x[c, s·i + a − top, s·j + b − left]
    with indices mod (h, w); aliased taps add up."""
    co, ci, kh, kw = k.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    oh, ow = h // stride, w // stride
    m = np.zeros((co * oh * ow, ci * h * w))
    for o in range(co):
        for i in range(oh):
            for j in range(ow):
                row = (o * oh + i) * ow + j
                for c in range(ci):
                    for a in range(kh):
                        for b in range(kw):
                            col = (c * h + (stride * i + a - top) % h) * w + (stride * j + b - left) % w
                            m[row, col] += k[o, c, a, b]
    return m


def svd(m):
    return np.linalg.svd(m, compute_uv=False)


def case(name, shape, seed, h, w, stride=1, padding="circular", caveats=(), kernel=None):
    k = lcg_kernel(shape, seed) if kernel is None else kernel
    co, ci, kh, kw = k.shape
    entry = {"name": name, "shape": list(k.shape), "weights": k.ravel().tolist(), "height": h, "width": w,
             "stride": stride, "padding": padding, "caveats": list(caveats)}
    exact = not caveats
    divides = h % stride == 0 and w % stride == 0
    # The operator nnprobe reports: the layer's own when exact, else its circular counterpart (at
    # stride 1 when the stride does not divide the grid).
    reported_stride = stride if divides else 1
    reference = circular_operator(k, h, w, reported_stride)
    try:
        via_torch = torch_operator(k, h, w, reported_stride, "circular")
        assert np.abs(via_torch - reference).max() < 1e-12, name
        checked.append(name)
    except RuntimeError:   # torch's circular padding refuses pads wider than the input
        pass
    entry["rows"], entry["cols"] = reference.shape
    entry["singular_values"] = svd(reference).tolist()
    entry["numerical_rank"] = int(np.linalg.matrix_rank(reference.astype(np.float32)))
    if not exact:   # what the layer itself has, to show the caveat matters
        entry["layer_singular_values"] = svd(torch_operator(k, h, w, stride, padding)).tolist()
    entry["flattened"] = svd(k.reshape(co, -1)).tolist()
    entry["pooled_positions"] = np.sort(svd(k.transpose(2, 3, 0, 1)).ravel())[::-1].tolist()
    return entry


checked = []
cases = [
    case("1x1, 5 from 3, 4x6", (5, 3, 1, 1), 1, 4, 6),
    case("1x1 zeros(0), 2 from 4, 3x5", (2, 4, 1, 1), 2, 3, 5, padding=0),
    case("3x3, 2 from 4, 5x7", (2, 4, 3, 3), 3, 5, 7),
    case("3x3, 3 from 3, 8x8", (3, 3, 3, 3), 4, 8, 8),
    case("5x5 on 6x4 (wider than the grid), 3 from 2", (3, 2, 5, 5), 5, 6, 4),
    case("5x5 on 3x2 (taps alias twice), 2 from 2", (2, 2, 5, 5), 6, 3, 2),
    case("4x2 (even), 2 from 3, 6x5", (2, 3, 4, 2), 7, 6, 5),
    case("3x3 stride 2, 4 from 3, 8x6", (4, 3, 3, 3), 8, 8, 6, stride=2),
    case("5x5 stride 3, 2 from 2, 6x9", (2, 2, 5, 5), 9, 6, 9, stride=3),
    case("1x1 stride 2 (a shortcut that skips 3/4 of the input), 6 from 2, 4x6", (6, 2, 1, 1), 16, 4, 6, stride=2),
    case("3x3 stride 4 (past the kernel), 5 from 2, 8x8", (5, 2, 3, 3), 17, 8, 8, stride=4),
    case("rank one per frequency, 4 from 3, 3x3 on 5x5", None, 0, 5, 5,
         kernel=np.einsum("o,cab->ocab", lcg_kernel((4,), 10), lcg_kernel((3, 3, 3), 11))),
    case("3x3 zeros(1), 4 from 3, 6x6", (4, 3, 3, 3), 12, 6, 6, padding=1,
         caveats=["circular-approximation-of-zero-padding"]),
    case("3x3 zeros(0) stride 2, 3 from 2, 8x8", (3, 2, 3, 3), 13, 8, 8, stride=2, padding=0,
         caveats=["circular-approximation-of-zero-padding"]),
    case("3x3 circular stride 2 on 5x5, 3 from 2", (3, 2, 3, 3), 14, 5, 5, stride=2,
         caveats=["stride-ignored"]),
    case("3x3 zeros(1) stride 2 on 7x6, 2 from 3", (2, 3, 3, 3), 15, 7, 6, stride=2, padding=1,
         caveats=["circular-approximation-of-zero-padding", "stride-ignored"]),
]

# One frequency response against numpy's fft2.
k = np.array(cases[2]["weights"]).reshape(cases[2]["shape"])
response = np.fft.fft2(k, (5, 7))[:, :, 1, 3]
fourier = {"case": 2, "u": 1, "v": 3, "real": response.real.ravel().tolist(), "imag": response.imag.ravel().tolist()}

# The bench layer: 64 → 64, 3×3, 32×32, by the FFT method with every frequency decomposed.
k = lcg_kernel((64, 64, 3, 3), 2026)
values = np.sort(svd(np.fft.fft2(k, (32, 32)).transpose(2, 3, 0, 1)).ravel())[::-1]
large = {"shape": [64, 64, 3, 3], "seed": 2026, "height": 32, "width": 32, "count": int(values.size),
         "every": 64, "sampled": values[::64].tolist(), "last": values[-8:].tolist()}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "convolution_reference.json")
with open(path, "w") as f:
    json.dump({"generator": "make_convolution_fixtures.py", "cases": cases, "fourier": fourier, "large": large}, f)
print("operator matrices checked against torch.conv2d:", len(checked), "of", len(cases))
print("wrote", path, os.path.getsize(path), "bytes")
