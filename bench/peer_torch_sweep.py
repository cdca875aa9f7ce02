#!/usr/bin/env python3
"""PyTorch peer of `nnprobe train multi-mult --seeds 0..99`: 100 seeds of a 4-16-2 MLP on
10,000 samples, 20 epochs, batch 128, Adam, validation after every epoch, each run saved
(torch.save), one process per core. Prints one JSON line."""
import json
import os
import resource
import sys
import tempfile
import time
from multiprocessing import Pool

SEEDS = int(sys.argv[1]) if len(sys.argv) > 1 else 100


def train(seed):
    import torch
    from torch import nn
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x = torch.rand(14_000, 4) * 2 - 1
    y = torch.stack([x[:, 0] * x[:, 1], x[:, 2] * x[:, 3]], dim=1)
    xtr, ytr, xva, yva = x[:10_000], y[:10_000], x[10_000:12_000], y[10_000:12_000]
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    loss_fn = nn.MSELoss()
    for _ in range(20):
        model.train()
        perm = torch.randperm(10_000)
        for i in range(0, 10_000, 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            loss_fn(model(xva), yva).item()
    out = os.path.join(tempfile.gettempdir(), f"nnprobe-peer-sweep-{os.getpid()}-{seed}.pt")
    torch.save(model.state_dict(), out)
    os.remove(out)
    return seed


if __name__ == "__main__":
    start = time.perf_counter()
    with Pool(os.cpu_count()) as pool:
        pool.map(train, range(SEEDS))
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"bench": "sweep", "net": "sweep", "impl": "pytorch", "seconds": seconds, "peak_mib": peak, "runs": SEEDS}))
