#!/usr/bin/env python3
"""PyTorch peer of `nnprobe-bench conv NET --threads T`: steady-state SGD training steps of a
conv net at batch 128 on the CPU (zero_grad, forward, cross-entropy, backward, step), with
torch.set_num_threads(T). The nets are issue 12's: a ResNet [1,1,1,1] of width 16 and study
002's CNN on 3×32×32, a small CNN on 1×28×28. One JSON line."""
import json
import resource
import sys
import time

import torch
from torch import nn


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: two 3×3 convs with batch norm, a 1×1 conv + BN shortcut when the shape changes."""

    def __init__(self, inputs, channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.shortcut = nn.Sequential()
        if stride != 1 or inputs != channels:
            self.shortcut = nn.Sequential(nn.Conv2d(inputs, channels, 1, stride, bias=False), nn.BatchNorm2d(channels))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


def resnet_1111_w16():
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        BasicBlock(16, 16, 1), BasicBlock(16, 32, 2), BasicBlock(32, 64, 2), BasicBlock(64, 128, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def cnn_002():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def cnn_28():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 10))


NETS = {"resnet-1111-w16": (resnet_1111_w16, (3, 32, 32)), "cnn-002": (cnn_002, (3, 32, 32)), "cnn-28": (cnn_28, (1, 28, 28))}


def main():
    name, threads = sys.argv[1], int(sys.argv[2])
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    make, shape = NETS[name]
    batch, pool = 128, 512
    x = torch.rand(pool, *shape) * 2 - 1
    y = torch.randint(0, 10, (pool,))
    model = make()
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    batches = pool // batch
    loss = None

    def run(count):
        nonlocal loss
        for s in range(count):
            i = (s % batches) * batch
            optimizer.zero_grad()
            loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            optimizer.step()

    run(3)
    start, cpu_start = time.perf_counter(), time.process_time()
    run(steps)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bench": "conv-train", "net": name, "impl": "pytorch", "threads": torch.get_num_threads(), "steps": steps,
                      "us_per_step": seconds / steps * 1e6, "cpu_us_per_step": cpu / steps * 1e6, "loss": loss.item(), "peak_mib": peak, "version": torch.__version__}))


if __name__ == "__main__":
    main()
