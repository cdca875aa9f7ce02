"""The sweeps `make bench` trains on both sides (issue 18): shapes, data, steps, and the nnprobe
command line of each, shared by the batched peers (peer_torch_bmm.py, peer_jax_vmap.py) and
run.sh. Each model has its own data, drawn from its seed as nnprobe's runs draw theirs, its own
shuffling, batches of 128 with the last partial batch kept, validation after every epoch and
the test split at the end."""
import gzip
import math
import os

import numpy as np

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"

CASES = {
    # 003's 100 seeds of a 4-16-2 net on two products (MSE).
    "mm": dict(task="multi-mult", inputs=4, hidden=[16], outputs=2, batch_norm=False, loss="mse",
               sizes=(10_000, 2_000, 2_000), epochs=20, lrs=[0.003], flags=["--hidden", "16", "--lr", "0.003"]),
    # 001's 6 × 16 batch-norm classifier on 10 spiral arms, over seeds × learning rates.
    "spirals-bn": dict(task="spirals", inputs=2, hidden=[16] * 6, outputs=10, batch_norm=True, loss="ce",
                       sizes=(10_000, 2_000, 2_000), epochs=10, lrs=[0.01, 0.003, 0.001, 0.0003],
                       flags=["--classes", "10", "--depth", "6", "--width", "16", "--batch-norm", "--lr", "0.01,0.003,0.001,0.0003"]),
    # 004's 784-128×4 MLP on Fashion-MNIST (54,000 training images, 6,000 held out, 10,000 test).
    "fmnist": dict(task="fashion-mnist", inputs=784, hidden=[128] * 4, outputs=10, batch_norm=False, loss="ce",
                   sizes=(54_000, 6_000, 10_000), epochs=1, lrs=[0.001], flags=["--depth", "4", "--width", "128", "--lr", "0.001"]),
}
BATCH = 128


def nnprobe_command(binary, case, seeds, save):
    """The nnprobe sweep of `seeds` seeds (× the case's learning rates)."""
    c = CASES[case]
    return [binary, "train", c["task"], *c["flags"], "--epochs", str(c["epochs"]), "--batch-size", str(BATCH),
            "--seeds", f"0..{seeds - 1}", "--save", save]


def steps_per_epoch(case):
    return math.ceil(CASES[case]["sizes"][0] / BATCH)


def weights(case):
    """Multiply-adds per row of one forward pass (the weight matrices' entries)."""
    c = CASES[case]
    widths = [c["inputs"], *c["hidden"], c["outputs"]]
    return sum(a * b for a, b in zip(widths, widths[1:]))


def flop(case, models):
    """Training FLOP of the whole sweep: 6 per weight per training row (forward, and backward to
    both the inputs and the weights), 2 per weight per validation and test row."""
    c = CASES[case]
    train, val, test = c["sizes"]
    rows = c["epochs"] * train
    evaluated = c["epochs"] * val + test
    return models * weights(case) * (6 * rows + 2 * evaluated)


def synthetic(case, rng, count):
    """`count` rows of the case's synthetic task (inputs float32, targets float32 or labels int64)."""
    c = CASES[case]
    if c["task"] == "multi-mult":
        x = rng.uniform(-1, 1, size=(count, 4)).astype(np.float32)
        return x, np.stack([x[:, 0] * x[:, 1], x[:, 2] * x[:, 3]], axis=1)
    classes = c["outputs"]  # spirals: arm k = i mod K, 1.5 turns, noise 0.03
    k = np.arange(count) % classes
    t = rng.uniform(0, 1, size=count)
    angle = 3 * math.pi * t + 2 * math.pi * k / classes
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1) + 0.03 * rng.standard_normal((count, 2))
    return x.astype(np.float32), k.astype(np.int64)


def fashion_mnist():
    """All 70,000 images (60,000 train then 10,000 test) as float32 in [0, 1], and their labels."""
    def read(name, offset):
        with gzip.open(os.path.join(FASHION_MNIST, name + ".gz")) as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
    images = [read(f"{p}-images-idx3-ubyte", 16).reshape(-1, 784) for p in ("train", "t10k")]
    labels = [read(f"{p}-labels-idx1-ubyte", 8).astype(np.int64) for p in ("train", "t10k")]
    return np.concatenate(images).astype(np.float32) / 255, np.concatenate(labels)


def model_data(case, models):
    """Per model (seed-major, then learning rate): (train, validation, test) row indices into
    shared arrays, or per-model arrays, as numpy: returns (x, y, splits, lrs) where x, y hold
    every model's rows stacked (models, rows, …) or shared (rows, …), and splits gives each
    split's (models, rows) indices into them (None: the model's own rows in order)."""
    c = CASES[case]
    lrs = np.array([lr for _ in range(models // len(c["lrs"])) for lr in c["lrs"]], dtype=np.float32)
    train, val, test = c["sizes"]
    if c["task"] == "fashion-mnist":
        x, y = fashion_mnist()
        orders = np.stack([np.random.default_rng(seed).permutation(60_000) for seed in range(models)])
        splits = (orders[:, val:], orders[:, :val], np.broadcast_to(np.arange(60_000, 70_000), (models, test)))
        return x, y, splits, lrs
    seeds = np.arange(models) // len(c["lrs"])
    rows = [synthetic(case, np.random.default_rng(int(seed)), train + val + test) for seed in seeds]
    x, y = np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])
    ends = (0, train, train + val, train + val + test)
    splits = tuple(np.broadcast_to(np.arange(a, b), (models, b - a)) for a, b in zip(ends, ends[1:]))
    return x, y, splits, lrs
