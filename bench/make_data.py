#!/usr/bin/env python3
"""Inputs for the analysis benchmarks, written with h5py following docs/checkpoint-format.md:
a 1,000,000 × 128 activation dump, a checkpoint of ten 1024 × 1024 layers, 2,000
checkpoints of a 4-16-2 net (run.sh then packs them with `nnprobe pack`, as a sweep would), and
100 activation dumps of 16 units on the same 10,000 rows (representation similarity), and a
linear probe's input (10,000 rows × 128 features, 10 classes, raw float32/int32 files).
Skips what already exists."""
import os
import sys

import h5py
import numpy as np

DATA = sys.argv[1] if len(sys.argv) > 1 else "bench/data"
os.makedirs(DATA, exist_ok=True)
rng = np.random.default_rng(0)


def root_attrs(f, fmt):
    f.attrs["format"] = fmt
    f.attrs["format_version"] = 1
    f.attrs["nnprobe_version"] = "bench"
    f.attrs["created"] = "2026-11-22T00:00:00Z"


def checkpoint(path, shapes):
    with h5py.File(path, "w") as f:
        root_attrs(f, "nnprobe.checkpoint")
        f.attrs["task"] = "bench"
        f.attrs["seed"] = 0
        f.attrs["config"] = "{}"
        m = f.create_group("model")
        m.attrs["n_layers"] = len(shapes)
        for i, (out, inp) in enumerate(shapes):
            g = m.create_group(f"layer_{i}")
            g.attrs["activation"] = "relu" if i < len(shapes) - 1 else "identity"
            g["weight"] = (rng.standard_normal((out, inp)) / np.sqrt(inp)).astype(np.float32)
            g["bias"] = np.zeros(out, np.float32)


dump = os.path.join(DATA, "dump_1m_128.h5")
if not os.path.exists(dump):
    n, d, block = 1_000_000, 128, 65_536
    mixing = rng.standard_normal((16, d)).astype(np.float32)
    with h5py.File(dump + ".tmp", "w") as f:
        root_attrs(f, "nnprobe.activations")
        for key, value in [("source_checkpoint", "bench"), ("task", "bench"), ("probe", "dataset"), ("dataset", "test"), ("varied_task", "")]:
            f.attrs[key] = value
        f.attrs["n_samples"], f.attrs["n_layers"], f.attrs["grid_size"], f.attrs["n_contexts"] = n, 1, 0, 0
        f.attrs["varied_inputs"] = np.zeros(0, np.int64)
        for name, shape in [("inputs", (n, 1)), ("targets", (0, 1)), ("outputs", (n, 1)), ("contexts", (0, 1))]:
            f.create_dataset(name, shape=shape, dtype=np.float32, chunks=(min(4096, max(1, shape[0])), 1) if shape[0] else None)
        f.create_dataset("context_index", shape=(0,), dtype=np.int32)
        post = f.create_dataset("layers/layer_0/post", shape=(n, d), dtype=np.float32, chunks=(4096, d))
        f.create_dataset("layers/layer_0/pre", shape=(n, d), dtype=np.float32, chunks=(4096, d))
        for start in range(0, n, block):
            rows = min(block, n - start)
            latent = rng.standard_normal((rows, 16)).astype(np.float32) * np.linspace(3, 0.1, 16, dtype=np.float32)
            post[start:start + rows] = np.maximum(latent @ mixing, 0)
    os.rename(dump + ".tmp", dump)

big = os.path.join(DATA, "svd_10x1024.h5")
if not os.path.exists(big):
    checkpoint(big, [(1024, 1024)] * 10)

many = os.path.join(DATA, "ckpts_2000")
if not os.path.exists(many):
    os.makedirs(many + ".tmp")
    for i in range(2000):
        checkpoint(os.path.join(many + ".tmp", f"seed{i:04d}.h5"), [(16, 4), (2, 16)])
    os.rename(many + ".tmp", many)
similar = os.path.join(DATA, "similarity_100")
if not os.path.exists(similar):
    # 100 "seeds": the same 10,000 inputs, each net's 16 ReLU units a different random mixture of
    # a shared 6-dimensional latent plus its own noise, so pairs are related but not identical.
    os.makedirs(similar + ".tmp")
    n, d, width = 10_000, 4, 16
    inputs = rng.uniform(-1, 1, (n, d)).astype(np.float32)
    latent = np.tanh(inputs @ rng.standard_normal((d, 6)))
    for k in range(100):
        pre = (latent @ rng.standard_normal((6, width)) + 0.3 * rng.standard_normal((n, width))).astype(np.float32)
        with h5py.File(os.path.join(similar + ".tmp", f"net{k:03d}.h5"), "w") as f:
            root_attrs(f, "nnprobe.activations")
            for key, value in [("source_checkpoint", f"net{k:03d}"), ("task", "bench"), ("probe", "dataset"), ("dataset", "test"), ("varied_task", "")]:
                f.attrs[key] = value
            f.attrs["n_samples"], f.attrs["n_layers"], f.attrs["grid_size"], f.attrs["n_contexts"] = n, 1, 0, 0
            f.attrs["varied_inputs"] = np.zeros(0, np.int64)
            f["inputs"] = inputs
            f["targets"] = np.zeros((0, 1), np.float32)
            f["outputs"] = np.zeros((n, 1), np.float32)
            f["contexts"] = np.zeros((0, d), np.float32)
            f["context_index"] = np.zeros(0, np.int32)
            f["layers/layer_0/pre"] = pre
            f["layers/layer_0/post"] = np.maximum(pre, 0)
    os.rename(similar + ".tmp", similar)
probe = os.path.join(DATA, "probe_10000x128x10")
if not os.path.exists(probe):
    # A probe's input: 10,000 rows of 128 ReLU "units", a random mixture of a 16-dimensional
    # latent whose mean depends on the class (10 classes, overlapping), plus noise; raw
    # little-endian float32 features and int32 labels, read by both sides.
    local = np.random.default_rng(13)
    n, d, classes = 10_000, 128, 10
    labels = local.integers(0, classes, n).astype(np.int32)
    latent = local.standard_normal((classes, 16))[labels] + 1.5 * local.standard_normal((n, 16))
    x = np.maximum(latent @ local.standard_normal((16, d)) + 0.5 * local.standard_normal((n, d)), 0).astype("<f4")
    os.makedirs(probe + ".tmp")
    x.tofile(os.path.join(probe + ".tmp", "features.f32"))
    labels.astype("<i4").tofile(os.path.join(probe + ".tmp", "labels.i32"))
    os.rename(probe + ".tmp", probe)
print("bench data ready in", DATA)
