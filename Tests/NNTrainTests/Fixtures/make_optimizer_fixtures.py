#!/usr/bin/env python3
"""Reference optimiser steps for Tests/NNTrainTests/OptimizerTests.swift.

Run once by a developer, output committed (CI does not need PyTorch):

    python3 -m pip install torch          # from PyPI (the committed file came from torch 2.15.0)
    python3 Tests/NNTrainTests/Fixtures/make_optimizer_fixtures.py

For each case, torch.optim.SGD / Adam / AdamW (float32, default foreach/fused settings off)
takes STEPS steps on one fixed 11-element parameter vector (eleven: nnprobe's Adam runs eight
lanes at a time and then a scalar tail, so both paths are covered), using a different fixed
gradient at every step; the parameters after every step are written to optimizer_steps.json.

If PyTorch cannot be imported the script stops: the fixture records the torch version it
came from, and a hand-written numpy imitation would not be an independent check.
"""
import json
import pathlib

import numpy as np
import torch

STEPS = 4
rng = np.random.default_rng(20240516)
initial = rng.normal(0.0, 1.0, 11).astype(np.float32)
gradients = [rng.normal(0.0, 0.5, 11).astype(np.float32) for _ in range(STEPS)]

CASES = [
    ("sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("sgd", dict(lr=0.05, momentum=0.0, weight_decay=0.0)),
    ("adam", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)),
    ("adam", dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("adamw", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
]
MAKERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def run(kind, settings):
    p = torch.nn.Parameter(torch.tensor(initial, dtype=torch.float32))
    opt = MAKERS[kind]([p], foreach=False, **settings)
    after = []
    for g in gradients:
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        after.append([float(x) for x in p.detach().numpy()])
    return after


cases = []
for kind, settings in CASES:
    betas = settings.get("betas", (0.9, 0.999))
    cases.append({
        "optimizer": kind,
        "lr": settings["lr"],
        "momentum": settings.get("momentum", 0.0),
        "weight_decay": settings["weight_decay"],
        "beta1": betas[0],
        "beta2": betas[1],
        "eps": settings.get("eps", 1e-8),
        "after_each_step": run(kind, settings),
    })

out = {
    "source": f"torch {torch.__version__} (torch.optim, float32, foreach=False)",
    "initial": [float(x) for x in initial],
    "gradients": [[float(x) for x in g] for g in gradients],
    "cases": cases,
}
path = pathlib.Path(__file__).with_name("optimizer_steps.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
