"""Checkpoints written by h5py alone, following the doc, open in nnprobe; runs are reproducible."""
import json

import h5py
import numpy as np

from conftest import run


def test_h5py_written_checkpoint_inspects(nnprobe, tmp_path):
    path = tmp_path / "handmade.h5"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "nnprobe.checkpoint"
        f.attrs["format_version"] = 1
        for key, value in [("nnprobe_version", "h5py"), ("created", "2026-01-01T00:00:00Z"),
                           ("task", "mult"), ("config", "{}")]:
            f.attrs[key] = value
        f.attrs["seed"] = 3
        m = f.create_group("model")
        m.attrs["n_layers"] = 2
        for i, (out, inp, act) in enumerate([(16, 2, "relu"), (1, 16, "identity")]):
            g = m.create_group(f"layer_{i}")
            g.attrs["activation"] = act
            g["weight"] = rng.standard_normal((out, inp)).astype(np.float32)
            g["bias"] = np.zeros(out, np.float32)
    report = json.loads(run(nnprobe, "inspect", str(path), "--json").stdout)
    assert report["schema"] == "nnprobe.inspect/1"
    assert [layer["weight_shape"] for layer in report["model"]["layers"]] == [[16, 2], [1, 16]]
    assert report["model"]["parameter_count"] == 16 * 2 + 16 + 16 + 1
    assert report["seed"] == 3


def test_same_flags_and_seed_give_identical_files(nnprobe, tmp_path):
    args = ["train", "spirals", "--hidden", "8,8", "--batch-norm", "--dropout", "0.2", "--epochs", "2",
            "--train-size", "500", "--seed", "4", "--no-dump"]
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    run(nnprobe, *args, "--save", str(tmp_path / "a.h5"), env=env)
    run(nnprobe, *args, "--save", str(tmp_path / "b.h5"), env=env)
    assert (tmp_path / "a.h5").read_bytes() == (tmp_path / "b.h5").read_bytes()
    run(nnprobe, *args[:-3], "--seed", "5", "--no-dump", "--save", str(tmp_path / "c.h5"), env=env)
    with h5py.File(tmp_path / "a.h5") as a, h5py.File(tmp_path / "c.h5") as c:
        assert not np.array_equal(a["model/layer_0/weight"][()], c["model/layer_0/weight"][()])
