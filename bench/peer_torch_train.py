#!/usr/bin/env python3
"""PyTorch peer of `nnprobe-bench train NET`: steady-state Adam steps at batch 128 on the CPU,
the loop a researcher's script runs (zero_grad, forward, loss, backward, step). One JSON line."""
import json
import resource
import sys
import time

import torch
from torch import nn

NETS = {
    "4-16-2": (4, [16], 2, False, "mse"),
    "4-64-64-2": (4, [64, 64], 2, False, "mse"),
    "2-16x6bn-10": (2, [16] * 6, 10, True, "ce"),
    "784-128x4-10": (784, [128] * 4, 10, False, "ce"),
}


def build(inputs, hidden, outputs, batch_norm):
    layers, width = [], inputs
    for h in hidden:
        layers.append(nn.Linear(width, h))
        if batch_norm:
            layers.append(nn.BatchNorm1d(h))
        layers.append(nn.ReLU())
        width = h
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


def main():
    name = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else None
    inputs, hidden, outputs, batch_norm, loss_name = NETS[name]
    torch.manual_seed(0)
    batch, pool = 128, 1024
    x = torch.rand(pool, inputs) * 2 - 1
    if loss_name == "mse":
        y, loss_fn = torch.rand(pool, outputs) * 2 - 1, nn.MSELoss()
    else:
        y, loss_fn = torch.randint(0, outputs, (pool,)), nn.CrossEntropyLoss()
    model = build(inputs, hidden, outputs, batch_norm)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = pool // batch

    def run(count):
        for s in range(count):
            i = (s % batches) * batch
            xb, yb = x[i:i + batch], y[i:i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()

    measured = steps or (300 if inputs > 100 else 3000)
    run(100)
    start = time.perf_counter()
    run(measured)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": "train", "net": name, "impl": "pytorch", "steps": measured,
                      "us_per_step": seconds / measured * 1e6, "peak_mib": peak,
                      "threads": torch.get_num_threads(), "version": torch.__version__}))


if __name__ == "__main__":
    main()
