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


def write_layout(path, weights, libver=None, userblock=0, track_order=False, fixed_strings=False, dataset=None):
    """A weights-only checkpoint of `weights` in one HDF5 layout: LayoutTests reads every one
    through the library, and make_mutants.py damages three of them."""
    with h5py.File(path, "w", libver=libver, userblock_size=userblock, track_order=track_order) as f:
        f.attrs["format"] = np.bytes_(b"nnprobe.checkpoint") if fixed_strings else "nnprobe.checkpoint"
        f.attrs["format_version"] = np.int32(1) if fixed_strings else np.int64(1)
        f.attrs["nnprobe_version"] = "h5py-layouts"
        m = f.create_group("model", track_order=track_order)
        m.attrs["n_layers"] = np.uint8(len(weights)) if fixed_strings else np.int64(len(weights))
        for i, w in enumerate(weights):
            g = m.create_group(f"layer_{i}", track_order=track_order)
            g.create_dataset("bias", data=np.zeros(w.shape[0], np.float32))
            if dataset is None:
                g.create_dataset("weight", data=w)
            else:
                dataset(g, w)


def compact(group, w):
    """A dataset whose data lives in its object header (compact layout)."""
    plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    plist.set_layout(h5py.h5d.COMPACT)
    space = h5py.h5s.create_simple(w.shape)
    h5py.h5d.create(group.id, b"weight", h5py.h5t.IEEE_F32LE, space, dcpl=plist).write(h5py.h5s.ALL, h5py.h5s.ALL, w)


write(os.path.join(HERE, "h5py_mlp.h5"), multihead=False)
write(os.path.join(HERE, "h5py_multihead.h5"), multihead=True)

layout_weights = [rng.standard_normal((5, 3)).astype(np.float32), rng.standard_normal((2, 5)).astype(np.float32)]
layouts = {
    "default": {},
    "latest": {"libver": "latest"},
    "track_order": {"track_order": True},
    "userblock": {"userblock": 512},
    "fixed_strings": {"fixed_strings": True},
    "compact": {"dataset": compact},
    "chunked_gzip": {"dataset": lambda g, w: g.create_dataset("weight", data=w, chunks=(1, w.shape[1]), compression="gzip")},
    "float64": {"dataset": lambda g, w: g.create_dataset("weight", data=w.astype(np.float64))},
    "big_endian": {"dataset": lambda g, w: g.create_dataset("weight", data=w.astype(">f4"))},
}
os.makedirs(os.path.join(HERE, "layouts"), exist_ok=True)
for name, options in layouts.items():
    write_layout(os.path.join(HERE, "layouts", f"{name}.h5"), layout_weights, **options)
with open(os.path.join(HERE, "layouts", "weights.json"), "w") as out:
    json.dump([w.tolist() for w in layout_weights], out)

print("wrote fixtures to", HERE)
