"""A directory's pack (docs/checkpoint-format.md, `nnprobe.pack`) read with h5py alone: the run
names, stamps and stacked tensors equal the checkpoints; `pack --json` follows its schema."""
import os
import shutil

import h5py
import numpy as np

from conftest import run
from test_json_schemas import validate


def test_pack_matches_the_checkpoints(nnprobe, trained, tmp_path):
    directory = tmp_path / "mixed"
    directory.mkdir()
    for name, path in trained.items():   # three architectures, batch norm and heads included
        shutil.copy2(path, directory / f"{name}.h5")
    report = validate("pack", run(nnprobe, "pack", str(directory), "--json").stdout)
    assert report["runs"] == 3 and len(report["groups"]) == 3
    with h5py.File(directory / "sweep-pack.hdf5", "r") as f:
        assert f.attrs["format"] == "nnprobe.pack" and f.attrs["format_version"] == 2
        runs = list(f["runs"].asstr()[()])
        assert runs == sorted(runs) and len(runs) == 3
        for i, name in enumerate(runs):
            path = str(directory / name)
            assert f["source_size"][i] == os.stat(path).st_size
            assert f["source_mtime_ns"][i] == os.stat(path).st_mtime_ns
            group = f[f"groups/g{f['group'][i]}"]
            row = f["row"][i]
            with h5py.File(path, "r") as c:
                model = c["model"]
                assert group.attrs["n_layers"] == model.attrs["n_layers"]
                for member in [f"layer_{k}" for k in range(model.attrs["n_layers"])] + \
                              [f"head_{k}" for k in range(model.attrs["n_heads"])]:
                    for tensor in model[member]:
                        np.testing.assert_array_equal(group[f"{member}/{tensor}"][row], model[f"{member}/{tensor}"][()])
                # Format 2: the rest of the checkpoint but its gradient records.
                assert f["has_record"][i] == 1 and f["seed"][i] == c.attrs["seed"]
                for key in ("task", "config", "status", "nnprobe_version", "created"):
                    assert f[key].asstr()[i] == c.attrs[key]
                for k in range(model.attrs["n_layers"]):
                    layer = model[f"layer_{k}"]
                    assert group[f"layer_{k}/activation"].asstr()[row] == layer.attrs["activation"]
                    assert group[f"layer_{k}/batch_norm"][row] == int(layer.attrs.get("batch_norm", 0))
                for k in range(model.attrs["n_heads"]):
                    assert group[f"head_{k}/source_layer"][row] == model[f"head_{k}"].attrs["source_layer"]
                history = c["history"]
                for curve in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate", "dead_units"):
                    length = f[f"history/{curve}_length"][i]
                    expected = history[curve][()] if curve in history else np.zeros(0)
                    np.testing.assert_array_equal(f[f"history/{curve}"][i, :length], expected)
                np.testing.assert_array_equal(f["history/test_loss"][i], history.attrs["test_loss"])
