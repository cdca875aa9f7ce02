#!/usr/bin/env python3
"""Writes the checkpoint fixtures of NNCheckpointTests with h5py alone, following
docs/checkpoint-format.md, plus a JSON copy of every array for the tests to compare against.

Run from the repository root:  python3 Tests/NNCheckpointTests/Fixtures/make_fixtures.py
"""
import json
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261122)


def dense(group, name, out, inp, activation, batch_norm=False, residual=False, source=None):
    g = group.create_group(name)
    g.attrs["kind"] = "dense"
    g.attrs["activation"] = activation
    record = {"weight": rng.standard_normal((out, inp)).astype(np.float32),
              "bias": rng.standard_normal(out).astype(np.float32)}
    if source is None:
        g.attrs["residual"] = bool(residual)          # h5py writes a bool enum: readers must accept it
        g.attrs["batch_norm"] = np.int64(batch_norm)
        g.attrs["dropout"] = 0.25
    else:
        g.attrs["source_layer"] = np.int64(source)
    if batch_norm:
        record["gamma"] = rng.uniform(0.5, 1.5, out).astype(np.float32)
        record["beta"] = rng.standard_normal(out).astype(np.float32)
        record["running_mean"] = rng.standard_normal(out).astype(np.float32)
        record["running_var"] = rng.uniform(0.5, 2.0, out).astype(np.float32)
        g.attrs["bn_eps"] = 1e-5
        g.attrs["bn_momentum"] = 0.1
    for key, value in record.items():
        g.create_dataset(key, data=value)
    return {key: value.tolist() for key, value in record.items()}


def write(path, multihead):
    expected = {"layers": [], "heads": []}
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "nnprobe.checkpoint"
        f.attrs["format_version"] = np.int64(1)
        f.attrs["nnprobe_version"] = "h5py-fixture"
        f.attrs["created"] = "2026-11-22T00:00:00Z"
        f.attrs["task"] = "multi-mult"
        f.attrs["seed"] = np.int64(7)
        f.attrs["config"] = json.dumps({"hidden": [16, 16], "lr": 0.001})
        m = f.create_group("model")
        m.attrs["kind"] = "mlp"
        if multihead:
            m.attrs["n_layers"] = np.int64(2)
            m.attrs["n_heads"] = np.int64(2)
            expected["layers"].append(dense(m, "layer_0", 16, 4, "relu", batch_norm=True))
            expected["layers"].append(dense(m, "layer_1", 16, 16, "tanh", residual=True))
            expected["heads"].append(dense(m, "head_0", 2, 16, "identity", source=0))
            expected["heads"].append(dense(m, "head_1", 2, 16, "identity", source=1))
        else:
            m.attrs["n_layers"] = np.int64(3)
            m.attrs["n_heads"] = np.int64(0)
            expected["layers"].append(dense(m, "layer_0", 16, 4, "relu", batch_norm=True))
            expected["layers"].append(dense(m, "layer_1", 16, 16, "gelu", residual=True))
            expected["layers"].append(dense(m, "layer_2", 2, 16, "identity"))
        h = f.create_group("history")
        losses = np.linspace(1.0, 0.1, 5)
        h.create_dataset("train_loss", data=losses)
        h.create_dataset("val_loss", data=losses * 1.1)
        h.attrs["test_loss"] = 0.125
        h.attrs["test_accuracy"] = 0.875
        expected["train_loss"] = losses.tolist()
        g = f.create_group("gradients")
        g.attrs["steps_kept"] = np.int64(2)
        r = g.create_group("layer_0.weight")
        r.attrs["order"] = np.int64(0)
        r.create_dataset("first_steps", data=np.array([0, 1], dtype=np.int64))
        r.create_dataset("first_norm", data=np.array([0.5, 0.25]))
        expected["first_norm"] = [0.5, 0.25]
    with open(path.replace(".h5", ".json"), "w") as out:
        json.dump(expected, out)


write(os.path.join(HERE, "h5py_mlp.h5"), multihead=False)
write(os.path.join(HERE, "h5py_multihead.h5"), multihead=True)

print("wrote fixtures to", HERE)
