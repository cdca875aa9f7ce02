#!/usr/bin/env python3
"""PyTorch's activation patterns and outputs on the plane through three images, for
Tests/NNRegionsTests/ConvRegionTests.swift (nnprobe's exact regions of conv nets).

Run once by a developer, output committed (CI does not need PyTorch); made with torch 2.13.0+cpu:

    python3 Tests/NNRegionsTests/Fixtures/make_conv_region_fixtures.py

Three small nets on 1 × 8 × 8 images with 3 classes, weights and batch norms drawn as
Tests/NNModelTests/Fixtures/make_torch_network_fixtures.py draws them (its modules, its
PyTorch → nnprobe name mapping and its float32 spelling are reused):

  cnn            nnprobe's cnn family: (conv 3×3 pad 1, ReLU, 2×2 max-pool) × 2, flatten, linear,
                 ReLU, linear; channels [3, 4], fc [8]
  cnn_bn_pools   conv + BN2d + ReLU + max-pool 3×3 stride 2 pad 1 (overlapping windows, padding),
                 conv (no bias) + BN2d + ReLU + avg-pool 3×3 stride 2 pad 1, flatten, linear + BN1d
                 + ReLU, linear
  resnet_heads   torchvision's BasicBlock layout, stem + blocks [1, 1] of base width 2 (the second
                 with stride 2 and a 1×1 conv + BN shortcut), a read-out (global average pooling +
                 linear) on every stage, outputs summed (nnprobe: arch resnet, heads_on stages)

The plane: x(u, v) = p0 + u (p1 − p0) + v (p2 − p0) through three float32 images (a uniform
random image p0 and two perturbations of it by SPREAD · N(0, 1) per pixel), over the box
[-0.25, 1.25]². On a G × G grid of cell centres (row-major in v, as nnprobe's SampledPatterns:
point i has u from i % G, v from i / G), PyTorch in float64 (eval mode) records:

  pattern   per ReLU call, in execution order, 1 where its input is > 0; per max-pool call, per
            window the position ky·k + kx (k the kernel) of the entry it takes (PyTorch's index,
            the first of the largest), one base-36 digit — nnprobe's layout of a region's pattern.
            Stored as a list of distinct patterns and, per grid point, an index into it.
  margin    the point's distance from a pattern change in value units: the smallest |ReLU input|
            and the smallest gap between a window's largest entry and a smaller one (exact ties
            between equal entries, e.g. two ReLU zeros, are not changes: both sides pick the first).
  outputs   the logits (float64, to 13 significant digits: 5e-14 relative, far below the tests'
            1e-9).
"""
import json
import pathlib
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "NNModelTests" / "Fixtures"))
import make_torch_network_fixtures as shared  # noqa: E402

shared.CHANNELS = 1   # the shared ResNet's stem reads `CHANNELS` input channels
SIZE, CLASSES, GRID, SPREAD = 8, 3, 24, 0.04
BOX = [-0.25, 1.25, -0.25, 1.25]
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def cnn():
    model = shared.ConvNet([nn.Conv2d(1, 3, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2),
                            nn.Conv2d(3, 4, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2)],
                           [nn.Flatten(), nn.Linear(4 * 2 * 2, 8), nn.ReLU(), nn.Linear(8, CLASSES)])
    names = {"features.0": "block0.main.0", "features.3": "block1.main.0",
             "classifier.1": "block2.main.0", "classifier.3": "block3.main.0"}
    return model, names


def cnn_bn_pools():
    model = shared.ConvNet([nn.Conv2d(1, 3, 3, 1, 1), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
                            nn.Conv2d(3, 4, 3, 1, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.AvgPool2d(3, 2, 1)],
                           [nn.Flatten(), nn.Linear(4 * 2 * 2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, CLASSES)])
    names = {"features.0": "block0.main.0", "features.1": "block0.main.1",
             "features.4": "block1.main.0", "features.5": "block1.main.1",
             "classifier.1": "block2.main.0", "classifier.2": "block2.main.1", "classifier.4": "block3.main.0"}
    return model, names


NETWORKS = [
    ("cnn", cnn),
    ("cnn_bn_pools", cnn_bn_pools),
    ("resnet_heads", lambda: (shared.ResNet([1, 1], 2, CLASSES, heads_on_stages=True), shared.resnet_names([1, 1], True))),
]


class Recorder:
    """Forward hooks on every ReLU and max-pool call: the pattern pieces and the margin."""

    def __init__(self, model):
        self.pieces, self.margins = [], []
        for module in model.modules():
            if isinstance(module, nn.ReLU):
                module.register_forward_hook(self.relu)
            elif isinstance(module, nn.MaxPool2d):
                module.register_forward_hook(self.pool)

    def relu(self, module, inputs, output):
        z = inputs[0].reshape(inputs[0].shape[0], -1)
        self.pieces.append([["1" if v > 0 else "0" for v in row] for row in z.tolist()])
        self.margins.append(z.abs().min(dim=1).values)

    def pool(self, module, inputs, output):
        x = inputs[0]
        k, s, p = module.kernel_size, module.stride, module.padding
        _, indices = F.max_pool2d(x, k, s, p, return_indices=True)
        n, c, oh, ow = indices.shape
        width = x.shape[3]
        oy = torch.arange(oh).view(1, 1, oh, 1) * s - p
        ox = torch.arange(ow).view(1, 1, 1, ow) * s - p
        offsets = (indices // width - oy) * k + (indices % width - ox)
        self.pieces.append([[DIGITS[v] for v in row] for row in offsets.reshape(n, -1).tolist()])
        # The gap between each window's largest entry and the next smaller one (padding: −∞).
        windows = F.unfold(F.pad(x, (p, p, p, p), value=-float("inf")).reshape(n * c, 1, x.shape[2] + 2 * p, width + 2 * p),
                           k, stride=s).reshape(n, c, k * k, -1)
        top = windows.max(dim=2, keepdim=True).values
        below = torch.where(windows < top, top - windows, torch.full_like(windows, float("inf")))
        self.margins.append(below.amin(dim=(1, 2, 3)))

    def take(self):
        patterns = ["".join("".join(piece[r]) for piece in self.pieces) for r in range(len(self.pieces[0]))]
        margin = torch.stack(self.margins).amin(dim=0)
        self.pieces, self.margins = [], []
        return patterns, margin


def main():
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(20261204)
    # Three nearby images (an image and two perturbations of it), so that the box holds tens of
    # regions rather than thousands and the grid sees most of them.
    base = rng.uniform(0, 1, (1, 1, SIZE, SIZE))
    images = np.concatenate([base, base + SPREAD * rng.standard_normal((2, 1, SIZE, SIZE))]).astype(np.float32)
    p0, p1, p2 = (torch.tensor(image, dtype=torch.float64) for image in images)
    centres = [BOX[0] + (i + 0.5) / GRID * (BOX[1] - BOX[0]) for i in range(GRID)]
    u = torch.tensor([centres[i % GRID] for i in range(GRID * GRID)], dtype=torch.float64).view(-1, 1, 1, 1)
    v = torch.tensor([centres[i // GRID] for i in range(GRID * GRID)], dtype=torch.float64).view(-1, 1, 1, 1)
    points = p0 + u * (p1 - p0) + v * (p2 - p0)
    cases = []
    for seed, (name, build) in enumerate(NETWORKS):
        torch.manual_seed(100 + seed)
        model, names = build()
        shared.randomise_batch_norms(model, rng)
        model.eval()
        tensors = [{"name": shared.nnprobe_name(n, names), "torch": n, "shape": list(q.shape), "value": shared.float32s(q)}
                   for n, q in model.named_parameters()]
        batch_norms = [{"name": names[n], "running_mean": shared.float32s(m.running_mean),
                        "running_var": shared.float32s(m.running_var)} for n, m in shared.norms(model)]
        model64 = model.double()
        recorder = Recorder(model64)
        with torch.no_grad():
            outputs = model64(points)
        patterns, margin = recorder.take()
        distinct = sorted(set(patterns))
        index = {p: k for k, p in enumerate(distinct)}
        cases.append({"name": name, "tensors": tensors, "batch_norms": batch_norms, "patterns": distinct,
                      "grid_pattern": [index[p] for p in patterns],
                      "margin": [float(f"{m:.3g}") for m in margin.tolist()],
                      "outputs": [float(f"{o:.13g}") for o in outputs.reshape(-1).tolist()]})
        print(f"{name}: {len(distinct)} distinct patterns on the {GRID}² grid, pattern length {len(distinct[0])}, "
              f"smallest margin {float(margin.min()):.2e}")
    out = HERE / "conv_regions_reference.json"
    out.write_text(json.dumps({"torch": torch.__version__, "input_shape": [1, SIZE, SIZE], "classes": CLASSES, "grid": GRID,
                               "box": BOX, "images": [shared.float32s(torch.tensor(i)) for i in images], "cases": cases},
                              separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
