#!/usr/bin/env python3
"""Whole conv nets in PyTorch, forward and backward, for Tests/NNModelTests/TorchNetworkFixtureTests.swift.

Run once by a developer, output committed (CI does not need PyTorch); made with torch 2.13.0+cpu:

    python3 Tests/NNModelTests/Fixtures/make_torch_network_fixtures.py

Five networks, written the way a PyTorch user writes them, on one batch of 6 images (3 × 12 × 12)
with 10 classes:

  resnet         torchvision's layout: 3×3 stem conv (no bias) + BN + ReLU, stages of BasicBlocks
                 (conv1 bn1 relu conv2 bn2, a 1×1 conv + BN `downsample` where the shape changes,
                 stride 2 on each later stage's first block, ReLU after the sum), global average
                 pooling, `fc`; blocks [1, 1], base width 4 (nnprobe: arch resnet)
  resnet_heads   the same with a read-out on every stage (global average pooling + linear, the
                 outputs summed; nnprobe: heads_on stages)
  resnet_plain   the same layers without shortcuts (nnprobe: no_residual)
  cnn            study 002's net: `features` = (conv 3×3 pad 1, ReLU, 2×2 max-pool) × 2, then
                 `classifier` = flatten, linear, ReLU, dropout(0), linear; channels [4, 8], fc [16]
                 (nnprobe: arch cnn)
  cnn_bn_avgpool conv + BN2d + ReLU + max-pool, conv (no bias) + BN2d + ReLU + avg-pool 3×3 stride 2
                 pad 1 (padding counted), flatten, linear + BN1d + ReLU, linear (nnprobe: a LayerStack)

Weights are PyTorch's default initialisation (seeded); every batch norm gets γ, β, running mean
and running variance drawn away from their defaults. Weights and inputs are float32 values; the
reference runs in float64 on exactly those values, so one fixture serves nnprobe's Float and
Double engines. Per network, in training mode (batch statistics, momentum 0.1, unbiased running
variance, ε = 1e-5): the logits, the mean cross-entropy loss, every parameter's gradient and
each batch norm's running statistics after the step; then in eval mode (running statistics as
the training step left them, weights unchanged) the logits.

The name mapping: every tensor is written under nnprobe's name (`block1.main.3.weight`) with the
PyTorch name beside it (`layer1.0.conv2.weight`), in `named_parameters()` order. nnprobe numbers
a block's layers including the parameter-free ones (ReLU, pooling): torchvision's conv1, bn1,
conv2, bn2 are main.0, .1, .3, .4, downsample.0/.1 are shortcut.0/.1; the stem is block0, each
BasicBlock one block, the pool + fc the last block (fc = main.1); heads.h is head{h}.1 (after its
pool, head{h}.0). BN's `num_batches_tracked` has no nnprobe counterpart and is not written.

`torch_float32` records, per network, how far PyTorch itself in float32 lands from this float64
reference (max differences, relative to each tensor's largest magnitude): the noise floor the
Float tolerances sit above.
"""
import copy
import json
import pathlib

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

BATCH, CHANNELS, SIZE, CLASSES = 6, 3, 12, 10


class BasicBlock(nn.Module):
    """torchvision's BasicBlock, optionally without its shortcut."""

    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.residual = residual
        self.downsample = None
        if residual and (stride != 1 or cin != cout):
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class ResNet(nn.Module):
    def __init__(self, blocks, base_width, classes, residual=True, heads_on_stages=False):
        super().__init__()
        self.conv1 = nn.Conv2d(CHANNELS, base_width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(base_width)
        self.relu = nn.ReLU()
        self.stages = len(blocks)
        cin = base_width
        for s, count in enumerate(blocks):
            width = base_width << s
            layers = [BasicBlock(cin if b == 0 else width, width, 2 if s > 0 and b == 0 else 1, residual) for b in range(count)]
            cin = width
            setattr(self, f"layer{s + 1}", nn.Sequential(*layers))
        self.heads_on_stages = heads_on_stages
        if heads_on_stages:
            self.heads = nn.ModuleList(nn.Linear(base_width << s, classes) for s in range(len(blocks)))
        else:
            self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        total = 0
        for s in range(self.stages):
            x = getattr(self, f"layer{s + 1}")(x)
            if self.heads_on_stages:
                total = total + self.heads[s](x.mean(dim=(2, 3)))
        return total if self.heads_on_stages else self.fc(x.mean(dim=(2, 3)))


def resnet_names(blocks, heads_on_stages):
    """PyTorch module name → nnprobe layer name for `ResNet`."""
    names = {"conv1": "block0.main.0", "bn1": "block0.main.1"}
    k = 1
    for s, count in enumerate(blocks):
        for b in range(count):
            p = f"layer{s + 1}.{b}"
            names.update({f"{p}.conv1": f"block{k}.main.0", f"{p}.bn1": f"block{k}.main.1",
                          f"{p}.conv2": f"block{k}.main.3", f"{p}.bn2": f"block{k}.main.4",
                          f"{p}.downsample.0": f"block{k}.shortcut.0", f"{p}.downsample.1": f"block{k}.shortcut.1"})
            k += 1
    if heads_on_stages:
        names.update({f"heads.{h}": f"head{h}.1" for h in range(len(blocks))})
    else:
        names["fc"] = f"block{k}.main.1"
    return names


class ConvNet(nn.Module):
    """`features`, then `classifier` (its first layer flattens)."""

    def __init__(self, features, classifier):
        super().__init__()
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(*classifier)

    def forward(self, x):
        return self.classifier(self.features(x))


def cnn():
    """Study 002's net (nnprobe's cnn family: channels [4, 8], fc [16], dropout 0)."""
    flat = 8 * (SIZE // 4) ** 2
    model = ConvNet([nn.Conv2d(CHANNELS, 4, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2),
                     nn.Conv2d(4, 8, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2)],
                    [nn.Flatten(), nn.Linear(flat, 16), nn.ReLU(), nn.Dropout(0.0), nn.Linear(16, CLASSES)])
    names = {"features.0": "block0.main.0", "features.3": "block1.main.0",
             "classifier.1": "block2.main.0", "classifier.4": "block3.main.0"}
    return model, names


def cnn_bn_avgpool():
    flat = 8 * (SIZE // 4) ** 2
    model = ConvNet([nn.Conv2d(CHANNELS, 4, 3, 1, 1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2, 2),
                     nn.Conv2d(4, 8, 3, 1, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.AvgPool2d(3, 2, 1)],
                    [nn.Flatten(), nn.Linear(flat, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, CLASSES)])
    names = {"features.0": "block0.main.0", "features.1": "block0.main.1",
             "features.4": "block1.main.0", "features.5": "block1.main.1",
             "classifier.1": "block2.main.0", "classifier.2": "block2.main.1", "classifier.4": "block3.main.0"}
    return model, names


NETWORKS = [  # name, builder of (module, PyTorch module name → nnprobe layer name)
    ("resnet", lambda: (ResNet([1, 1], 4, CLASSES), resnet_names([1, 1], False))),
    ("resnet_heads", lambda: (ResNet([1, 1], 4, CLASSES, heads_on_stages=True), resnet_names([1, 1], True))),
    ("resnet_plain", lambda: (ResNet([1, 1], 4, CLASSES, residual=False), resnet_names([1, 1], False))),
    ("cnn", cnn),
    ("cnn_bn_avgpool", cnn_bn_avgpool),
]


def nnprobe_name(tensor, names):
    """`layer1.0.conv2.weight` → `block1.main.3.weight`, by the module → layer table `names`."""
    module, kind = tensor.rsplit(".", 1)
    return f"{names[module]}.{kind}"


def float32s(t):
    """float32 values in their shortest spelling; checked to read back (via a double, as
    Swift's JSON decoder reads them, then rounded to Float) as the same float32."""
    values = t.detach().to(torch.float32).reshape(-1).numpy()
    spelled = [float(str(v)) for v in values]
    assert all(np.float32(s) == v for s, v in zip(spelled, values))
    return spelled


def float64s(t):
    """float64 values to 14 significant digits (a relative rounding of at most 5e-14, far below
    the Double tolerances; the full 17 would take the fixture over 300 KB)."""
    return [float(f"{v:.14g}") for v in t.detach().to(torch.float64).reshape(-1).numpy()]


def step(model, x, labels):
    """One training-mode forward + cross-entropy + backward, then an eval-mode forward."""
    model.train()
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    return logits.detach(), loss.detach(), eval_logits


def norms(model):
    """The batch norms, by name, in module order (nnprobe's state order)."""
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def gradient_scale(g, largest):
    """What a gradient's differences are measured against: its largest magnitude, or, for a
    gradient that is zero but for rounding (a bias feeding a batch norm, which subtracts it
    again), the network's largest gradient `largest`. TorchNetworkFixtureTests uses the same rule."""
    own = float(g.abs().max())
    return own if own > 1e-12 * largest else largest


def deviation(a, b):
    """max |a − b| / max |b|."""
    return float((a.double() - b.double()).abs().max() / b.double().abs().max().clamp_min(1e-300))


def randomise_batch_norms(model, rng):
    """Moves every batch norm's affine parameters and running statistics away from their
    defaults (1, 0, 0, 1), drawn from `rng` module by module, so that tests see them used."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                c = module.num_features
                module.weight.copy_(torch.tensor(rng.uniform(0.5, 1.5, c), dtype=torch.float32))
                module.bias.copy_(torch.tensor(rng.uniform(-0.3, 0.3, c), dtype=torch.float32))
                module.running_mean.copy_(torch.tensor(rng.uniform(-0.3, 0.3, c), dtype=torch.float32))
                module.running_var.copy_(torch.tensor(rng.uniform(0.5, 1.5, c), dtype=torch.float32))


def main():
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(20261203)
    x32 = torch.tensor(rng.standard_normal((BATCH, CHANNELS, SIZE, SIZE)).astype(np.float32))
    labels = torch.tensor(rng.integers(0, CLASSES, BATCH))
    cases = []
    for seed, (name, build) in enumerate(NETWORKS):
        torch.manual_seed(seed)
        model, names = build()
        randomise_batch_norms(model, rng)
        model64 = copy.deepcopy(model).double()
        tensors = [{"name": nnprobe_name(n, names), "torch": n, "shape": list(p.shape), "value": float32s(p)}
                   for n, p in model.named_parameters()]
        batch_norms = [{"name": names[n], "torch": n, "running_mean": float32s(m.running_mean),
                        "running_var": float32s(m.running_var)} for n, m in norms(model)]

        logits, loss, eval_logits = step(model64, x32.double(), labels)
        for record, (_, p) in zip(tensors, model64.named_parameters()):
            record["gradient"] = float64s(p.grad)
        for record, (_, m) in zip(batch_norms, norms(model64)):
            record["running_mean_after"] = float64s(m.running_mean)
            record["running_var_after"] = float64s(m.running_var)

        # PyTorch itself in float32 against this reference.
        logits32, loss32, eval32 = step(model, x32, labels)
        largest = max(float(q.grad.abs().max()) for q in model64.parameters())
        grads = max(float((p.grad.double() - q.grad).abs().max()) / gradient_scale(q.grad, largest)
                    for p, q in zip(model.parameters(), model64.parameters()))
        floor = {"logits": deviation(logits32, logits), "loss": deviation(loss32, loss), "gradients": grads,
                 "eval_logits": deviation(eval32, eval_logits)}
        cases.append({"name": name, "tensors": tensors, "batch_norms": batch_norms, "logits": float64s(logits),
                      "loss": float64s(loss)[0], "eval_logits": float64s(eval_logits),
                      "torch_float32": {k: float(f"{v:.3g}") for k, v in floor.items()}})
        print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, loss {float(loss):.6f}, "
              f"torch float32 vs float64: " + ", ".join(f"{k} {v:.2e}" for k, v in floor.items()))
    out = pathlib.Path(__file__).with_name("torch_networks_reference.json")
    out.write_text(json.dumps({"torch": torch.__version__, "batch": BATCH, "input_shape": [CHANNELS, SIZE, SIZE],
                               "classes": CLASSES, "inputs": float32s(x32), "labels": labels.tolist(), "cases": cases},
                              separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
