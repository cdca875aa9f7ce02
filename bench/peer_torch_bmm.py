#!/usr/bin/env python3
"""PyTorch peer of an nnprobe sweep, written as one who knows PyTorch trains many small models:
all at once, each weight stacked along a leading model axis and multiplied with torch.bmm,
one autograd pass and one Adam update (per-model learning rates) for the whole stack.

Usage: peer_torch_bmm.py CASE SEEDS THREADS OUTDIR   (CASE from sweep_cases.py)
Trains SEEDS seeds (× the case's learning rates), writes each model's weights to
OUTDIR/model-I.pt, and prints one JSON line with the mean final validation loss."""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_cases import BATCH, CASES, model_data  # noqa: E402

EPS_BN, MOMENTUM_BN = 1e-5, 0.1
BETA1, BETA2, EPS_ADAM = 0.9, 0.999, 1e-8


class Stack:
    """Every model's parameters, stacked: W[l] (M, in, out), b[l] (M, 1, out), and with batch norm
    γ, β (M, 1, out) and running statistics per hidden layer."""

    def __init__(self, case, models, generator):
        c = CASES[case]
        widths = [c["inputs"], *c["hidden"], c["outputs"]]
        self.batch_norm = c["batch_norm"]
        self.W, self.b = [], []
        for fan_in, fan_out in zip(widths, widths[1:]):  # nn.Linear's default: U(±1/√fan_in)
            bound = 1 / math.sqrt(fan_in)
            self.W.append(((torch.rand(models, fan_in, fan_out, generator=generator) * 2 - 1) * bound).requires_grad_())
            self.b.append(((torch.rand(models, 1, fan_out, generator=generator) * 2 - 1) * bound).requires_grad_())
        hidden = c["hidden"]
        self.gamma = [torch.ones(models, 1, w).requires_grad_() for w in hidden] if self.batch_norm else []
        self.beta = [torch.zeros(models, 1, w).requires_grad_() for w in hidden] if self.batch_norm else []
        self.mean = [torch.zeros(models, 1, w) for w in hidden]
        self.var = [torch.ones(models, 1, w) for w in hidden]

    def parameters(self):
        return self.W + self.b + self.gamma + self.beta

    def forward(self, x, train):
        """x (M, B, in) → outputs (M, B, out)."""
        h = x
        last = len(self.W) - 1
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            h = torch.baddbmm(b, h, W)
            if l == last:
                return h
            if self.batch_norm:
                if train:
                    mean, var = h.mean(1, keepdim=True), h.var(1, keepdim=True, unbiased=False)
                    with torch.no_grad():
                        n = h.shape[1]
                        self.mean[l].lerp_(mean, MOMENTUM_BN)
                        self.var[l].lerp_(var * n / max(n - 1, 1), MOMENTUM_BN)
                else:
                    mean, var = self.mean[l], self.var[l]
                h = (h - mean) * torch.rsqrt(var + EPS_BN) * self.gamma[l] + self.beta[l]
            h = torch.relu(h)


def losses(out, y, kind):
    """Per-model mean loss over the batch: (M,)."""
    if kind == "mse":
        return ((out - y) ** 2).mean(dim=(1, 2))
    m, b, c = out.shape
    return F.cross_entropy(out.reshape(m * b, c), y.reshape(m * b), reduction="none").view(m, b).mean(1)


def main(case, seeds, threads, outdir):
    torch.set_num_threads(threads)
    c = CASES[case]
    models = seeds * len(c["lrs"])
    x, y, (train_idx, val_idx, test_idx), lrs = model_data(case, models)
    x, y = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(np.ascontiguousarray(y))
    shared = x.dim() == 2

    def rows(idx):
        """The models' rows at (M, B) indices: (M, B, in) inputs and their targets."""
        if shared:
            return x[idx], y[idx]
        return (torch.gather(x, 1, idx[..., None].expand(-1, -1, x.shape[2])),
                torch.gather(y, 1, idx[..., None].expand(-1, -1, y.shape[2])) if y.dim() == 3 else torch.gather(y, 1, idx))

    generator = torch.Generator().manual_seed(0)
    net = Stack(case, models, generator)
    params = net.parameters()
    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in params]
    lr = torch.from_numpy(lrs).view(models, 1, 1)
    train_idx = torch.from_numpy(np.ascontiguousarray(train_idx))
    n = train_idx.shape[1]
    step = 0
    val = None
    for _ in range(c["epochs"]):
        order = torch.gather(train_idx, 1, torch.argsort(torch.rand(models, n, generator=generator), dim=1))
        for start in range(0, n, BATCH):
            xb, yb = rows(order[:, start:start + BATCH])
            loss = losses(net.forward(xb, True), yb, c["loss"]).sum()
            for p in params:
                p.grad = None
            loss.backward()
            step += 1
            with torch.no_grad():
                for p, (m, v) in zip(params, moments):
                    m.lerp_(p.grad, 1 - BETA1)
                    v.mul_(BETA2).addcmul_(p.grad, p.grad, value=1 - BETA2)
                    denominator = (v / (1 - BETA2 ** step)).sqrt_().add_(EPS_ADAM)
                    p.sub_(lr * (m / (1 - BETA1 ** step)) / denominator)
        with torch.no_grad():
            xv, yv = rows(torch.from_numpy(np.ascontiguousarray(val_idx)))
            val = losses(net.forward(xv, False), yv, c["loss"])
    with torch.no_grad():
        xt, yt = rows(torch.from_numpy(np.ascontiguousarray(test_idx)))
        losses(net.forward(xt, False), yt, c["loss"])
    os.makedirs(outdir, exist_ok=True)
    for i in range(models):
        state = {f"{name}{l}": t[i].detach().clone() for name, group in
                 (("W", net.W), ("b", net.b), ("gamma", net.gamma), ("beta", net.beta), ("mean", net.mean), ("var", net.var))
                 for l, t in enumerate(group)}
        torch.save(state, os.path.join(outdir, f"model-{i}.pt"))
    print(json.dumps({"val_loss": float(val.mean()), "models": models, "steps": step}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
