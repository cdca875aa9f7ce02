"""Checkpoints written by h5py alone, following the doc, open in nnprobe; runs are reproducible."""
import json

import h5py
import numpy as np

from conftest import run


def write_checkpoint(path, shapes, rng, task="bench", seed=0):
    """A checkpoint of (out, in) weight shapes written with h5py alone, following docs/checkpoint-format.md."""
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "nnprobe.checkpoint"
        f.attrs["format_version"] = 1
        for key, value in [("nnprobe_version", "h5py"), ("created", "2026-01-01T00:00:00Z"), ("task", task), ("config", "{}")]:
            f.attrs[key] = value
        f.attrs["seed"] = seed
        m = f.create_group("model")
        m.attrs["n_layers"] = len(shapes)
        for i, (out, inp) in enumerate(shapes):
            g = m.create_group(f"layer_{i}")
            g.attrs["activation"] = "relu" if i < len(shapes) - 1 else "identity"
            g["weight"] = (rng.standard_normal((out, inp)) / np.sqrt(inp)).astype(np.float32)
            g["bias"] = np.zeros(out, np.float32)


def test_h5py_written_checkpoint_inspects(nnprobe, tmp_path):
    path = tmp_path / "handmade.h5"
    write_checkpoint(path, [(16, 2), (1, 16)], np.random.default_rng(0), task="mult", seed=3)
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


def test_svd_over_many_checkpoints_matches_numpy(nnprobe, tmp_path):
    # 450 files, read side by side on all cores without the HDF5 library (h5py's default layout).
    rng = np.random.default_rng(1)
    shapes = [[(16, 4), (2, 16)], [(80, 70), (3, 80)]]
    paths = []
    for i in range(450):
        paths.append(tmp_path / f"seed{i}.h5")
        write_checkpoint(paths[-1], shapes[i % 7 == 0], rng)
    report = json.loads(run(nnprobe, "svd", str(tmp_path), "--json").stdout)
    assert [entry["file"] for entry in report["files"]] == [str(p) for p in paths]
    worst = 0.0
    for entry, path in zip(report["files"], paths):
        with h5py.File(path) as f:
            for layer in entry["layers"]:
                expected = np.linalg.svd(f[f"model/{layer['name']}/weight"][()].astype(np.float64), compute_uv=False)
                assert layer["shape"] == list(f[f"model/{layer['name']}/weight"].shape)
                worst = max(worst, float(np.max(np.abs(np.array(layer["singular_values"]) - expected) / expected)))
    assert worst < 1e-6
    assert report["distribution"]["layer_0"]["stable_rank"]["count"] == 450

    # A corrupt file among them is one line naming it and an error entry; the rest are analysed; exit 1.
    paths[400].write_bytes(paths[400].read_bytes()[:300])
    result = run(nnprobe, "svd", str(tmp_path), "--json", check=False)
    assert result.returncode == 1
    damaged = json.loads(result.stdout)
    assert [e["file"] for e in damaged["errors"]] == [str(paths[400])]
    assert len(damaged["files"]) == 449
    assert damaged["distribution"]["layer_0"]["stable_rank"]["count"] == 449
    assert result.stderr.count("\n") == 1 and str(paths[400]) in result.stderr
