#!/usr/bin/env python3
"""Reference convolutions for Tests/NNModelTests/DNNLConvolutionTests.swift.

Run once by a developer, output committed (CI does not need PyTorch):

    python3 Tests/NNModelTests/Fixtures/make_conv_fixtures.py

For each case, torch.nn.functional.conv2d (float32, CPU) convolves a fixed input with a fixed
weight (and bias), and autograd back-propagates a fixed output gradient g (the loss is
sum(conv2d(x) * g)): conv2d_reference.json holds x, w, b, g, the output and the gradients
w.r.t. x, w and b, all as float32 values in their shortest spelling (which reads back as the same float32).
"""
import json
import pathlib

import numpy as np
import torch

CASES = [  # name, batch, in channels, height, width, out channels, kernel, stride, padding, bias
    ("stride2_pad1_bias", 2, 3, 7, 6, 4, 3, 2, 1, True),
    ("kernel1_nobias", 3, 5, 6, 6, 6, 1, 1, 0, False),
    ("kernel5_pad2_odd", 1, 2, 5, 7, 3, 5, 1, 2, True),
    ("stride2_pad0_batch7", 7, 4, 7, 7, 8, 3, 2, 0, False),
]


def main():
    rng = np.random.default_rng(20261202)
    torch.use_deterministic_algorithms(True)
    cases = []
    for name, n, c, h, w, o, k, s, p, has_bias in CASES:
        x = torch.tensor(rng.uniform(-1, 1, (n, c, h, w)).astype(np.float32), requires_grad=True)
        weight = torch.tensor(rng.uniform(-1, 1, (o, c, k, k)).astype(np.float32), requires_grad=True)
        bias = torch.tensor(rng.uniform(-1, 1, o).astype(np.float32), requires_grad=True) if has_bias else None
        y = torch.nn.functional.conv2d(x, weight, bias, stride=s, padding=p)
        g = torch.tensor(rng.uniform(-1, 1, tuple(y.shape)).astype(np.float32))
        (y * g).sum().backward()

        def flat(t):
            return [float(str(v)) for v in t.detach().reshape(-1).numpy()]  # shortest float32 spelling

        cases.append({
            "name": name, "batch": n, "channels": c, "height": h, "width": w, "out_channels": o,
            "kernel": k, "stride": s, "padding": p,
            "x": flat(x), "weight": flat(weight), "bias": flat(bias) if has_bias else None, "output_gradient": flat(g),
            "output": flat(y), "x_gradient": flat(x.grad), "weight_gradient": flat(weight.grad),
            "bias_gradient": flat(bias.grad) if has_bias else None,
        })
    out = pathlib.Path(__file__).with_name("conv2d_reference.json")
    out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
