"""Every object docs/checkpoint-format.md lists exists in files nnprobe writes, with the
documented kind, type and rank; and the files open in h5dump."""
import os
import re
import subprocess

import h5py
import numpy as np
import pytest

from conftest import ROOT

DOC = os.path.join(ROOT, "docs", "checkpoint-format.md")


def doc_rows(section):
    """Rows (object, kind, type, shape, when) of the table under the heading containing `section`."""
    text = open(DOC, encoding="utf-8").read()
    part = text.split(section, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].startswith("`/"):
            rows.append((cells[0].strip("`"), cells[1], cells[2], cells[3], cells[4]))
    assert rows, f"no table rows found under {section}"
    return rows


def expand(path, f):
    """Replace {i}, {k}, {t} by every value present in the file."""
    if "{i}" in path:
        n = int(f["model"].attrs["n_layers"]) if "model" in f else int(f.attrs["n_layers"])
        return [p for i in range(n) for p in expand(path.replace("{i}", str(i)), f)]
    if "{k}" in path:
        return [p for k in range(int(f["model"].attrs["n_heads"])) for p in expand(path.replace("{k}", str(k)), f)]
    if "{t}" in path:
        return [p for t in f["gradients"].keys() for p in expand(path.replace("{t}", t), f)]
    return [path]


def applies(when, path, f):
    if when == "always":
        return True
    if when == "heads":
        return int(f["model"].attrs["n_heads"]) > 0
    if when == "timed":   # a clock reading, left out of files that must be reproducible
        return "SOURCE_DATE_EPOCH" not in os.environ
    if when == "bn":
        layer = re.match(r"/model/layer_\d+", path).group(0)
        return int(f[layer].attrs["batch_norm"]) == 1
    raise AssertionError(f"unknown 'when' value {when}")


def check(f, path, kind, dtype, shape):
    if "/@" in path:
        owner, name = path.rsplit("/@", 1)
        node = f[owner or "/"]
        assert name in node.attrs, f"attribute {path} missing"
        value = node.attrs[name]
        if dtype == "string":   # a str, or for a (L) row an array of them
            items = [value] if shape == "scalar" else list(value)
            assert all(isinstance(v, str) for v in items), f"{path}: {type(value)} does not hold str"
            assert h5py.check_string_dtype(node.attrs.get_id(name).dtype).encoding == "utf-8"
        else:
            assert np.asarray(value).dtype == np.dtype(dtype), f"{path}: {np.asarray(value).dtype} != {dtype}"
        rank = 0 if shape == "scalar" else shape.count(",") + 1
        assert np.ndim(value) == rank, f"{path}: rank {np.ndim(value)} != {rank}"
        return
    assert path in f, f"{kind} {path} missing"
    obj = f[path]
    if kind == "group":
        assert isinstance(obj, h5py.Group), f"{path} is not a group"
    else:
        assert isinstance(obj, h5py.Dataset), f"{path} is not a dataset"
        assert obj.dtype == np.dtype(dtype), f"{path}: {obj.dtype} != {dtype}"
        assert obj.ndim == shape.count(",") + 1, f"{path}: rank {obj.ndim} for documented shape {shape}"


@pytest.mark.parametrize("run", ["multimult", "spirals_bn", "multihead"])
def test_checkpoint_has_every_documented_object(trained, run):
    checked = 0
    with h5py.File(trained[run], "r") as f:
        assert f.attrs["format"] == "nnprobe.checkpoint"
        for path, kind, dtype, shape, when in doc_rows("## Checkpoint"):
            for concrete in expand(path, f):
                if applies(when, concrete, f):
                    check(f, concrete, kind, dtype, shape)
                    checked += 1
    assert checked > 40


@pytest.mark.parametrize("suffix", ["acts-test", "acts-task0", "acts-task1"])
def test_dump_has_every_documented_object(trained, suffix):
    path = trained["multimult"].replace(".h5", f".{suffix}.h5")
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == "nnprobe.activations"
        for row_path, kind, dtype, shape, when in doc_rows("## Activation dump"):
            for concrete in expand(row_path, f):
                check(f, concrete, kind, dtype, shape)
        n = f.attrs["n_samples"]
        assert f["inputs"].shape == (n, 4) and f["layers/layer_0/post"].shape == (n, 16)
        assert f["layers/layer_0/post"].chunks is not None
        if suffix != "acts-test":
            assert f.attrs["probe"] == "vary" and f.attrs["varied_task"] == suffix.split("-")[1]
            assert n == f.attrs["grid_size"] ** 2 * f.attrs["n_contexts"]


def test_h5dump_reads_every_file(trained):
    for path in trained.values():
        for target in [path, path.replace(".h5", ".acts-test.h5")]:
            result = subprocess.run(["h5dump", "-H", target], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            assert 'GROUP "/"' in result.stdout
