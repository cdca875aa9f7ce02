"""`nnprobe svd` on conv nets it trained (issue 13), checked against numpy on each layer's
explicitly unrolled operator, built here from the h5py-read kernel and the layer's stored input
shape: the operator view's singular values (circular padding: exact; the layers' own zero
padding: the circular counterpart's, with its caveat), the flattened view against
np.linalg.svd(w.reshape(out, -1)), the pooled-positions view against every w[:, :, a, b]; the
JSON validates against docs/schemas/svd.schema.json and is the same on a second run; on a
terminal the progress bar names the layer under way."""
import json
import os
import pty
import subprocess

import h5py
import numpy as np
import pytest

from conftest import read_terminal, run, train_runs
from test_json_schemas import validate

SMALL = ["--train-size", "600", "--val-size", "200", "--test-size", "200", "--epochs", "1", "--batch-size", "50", "--no-dump"]
RUNS = {
    "cnn": ["fashion-mnist", "--arch", "cnn", "--channels", "4,6", "--fc", "12", "--batch-norm", *SMALL],
    "resnet": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "4", *SMALL],
}


@pytest.fixture(scope="module")
def nets(nnprobe, tmp_path_factory):
    return train_runs(nnprobe, tmp_path_factory.mktemp("svdconv"), RUNS)


def conv_layers(path):
    """Per conv layer: name → (kernel, input C×H×W, stride, padding), from the file alone."""
    layers = {}
    with h5py.File(path, "r") as f:
        stack = json.loads(f["model"].attrs["stack"])
        specs = {}
        for b, block in enumerate(stack["blocks"]):
            for part in ("main", "shortcut", "after"):
                for i, spec in enumerate(block.get(part) or []):
                    specs[f"block{b}.{part}.{i}"] = spec
        for name, group in f["model/layers"].items():
            if group.attrs["op"] == "conv2d":
                spec = specs[name]
                layers[name] = (group["weight"][()].astype(np.float64), tuple(group.attrs["input_shape"]), spec["stride"], spec["padding"])
    return layers


def unrolled(k, h, w, stride, padding):
    """The layer's map from C_in·h·w inputs to its outputs as a matrix: circular padding
    (padding=None: (k−1)/2 each side, output grid h/stride × w/stride) or `padding` zeros."""
    co, ci, kh, kw = k.shape
    if padding is None:
        top, left = (kh - 1) // 2, (kw - 1) // 2
        oh, ow = h // stride, w // stride
    else:
        top = left = padding
        oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    m = np.zeros((co, oh, ow, ci, h, w))
    for a in range(kh):
        for b in range(kw):
            for i in range(oh):
                r = stride * i + a - top
                if padding is None:
                    r %= h
                elif not 0 <= r < h:
                    continue
                for j in range(ow):
                    c = stride * j + b - left
                    if padding is None:
                        c %= w
                    elif not 0 <= c < w:
                        continue
                    m[:, i, j, :, r, c] += k[:, :, a, b]
    return m.reshape(co * oh * ow, ci * h * w)


def svd(m):
    return np.linalg.svd(m, compute_uv=False)


def close(got, want, what):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want)
    assert got.shape == want.shape, f"{what}: {got.shape} values, {want.shape} expected"
    worst = np.abs(got - want).max()
    assert worst <= 1e-8 * want[0], f"{what}: off by {worst} (σ₁ {want[0]})"


def close_enough(a, b):
    return abs(a - b) <= 1e-12 * abs(b)


def svd_json(nnprobe, path, *args):
    first = run(nnprobe, "svd", path, "--json", *args).stdout
    assert run(nnprobe, "svd", path, "--json", *args).stdout == first   # byte-identical run to run
    return validate("svd", first)["files"][0]["layers"]


@pytest.mark.parametrize("name", list(RUNS))
def test_every_view_on_the_stored_input_against_numpy(nnprobe, nets, name):
    convs = conv_layers(nets[name])
    exact = {(e["name"], e["view"]): e for e in svd_json(nnprobe, nets[name], "--view", "all", "--circular") if "view" in e}
    stored = {e["name"]: e for e in svd_json(nnprobe, nets[name]) if "view" in e}
    assert set(stored) == set(convs) and {n for n, _ in exact} == set(convs)
    for layer, (k, (c, h, w), stride, padding) in convs.items():
        co = k.shape[0]
        # Only the small operators are unrolled whole here (up to 3,136 × 784; all of them on a
        # smaller input below): a 3,136 × 3,136 SVD takes numpy half a minute on two busy cores.
        rows, cols = co * (h // stride) * (w // stride), k.shape[1] * h * w
        if rows * cols * min(rows, cols) <= 3136 * 784 * 784:
            circular = svd(unrolled(k, h, w, stride, None))
            close(exact[layer, "operator"]["singular_values"], circular, f"{name} {layer} operator --circular")
            assert exact[layer, "operator"]["exact"] and exact[layer, "operator"]["padding_mode"] == "circular"
            # The layer's own zero padding: the circular layer's values, marked as such.
            close(stored[layer]["singular_values"], circular, f"{name} {layer} operator")
        one_by_one = k.shape[2] == 1 and padding == 0
        assert stored[layer]["exact"] == one_by_one and stored[layer]["input_size"] == [h, w]
        assert stored[layer]["caveats"] == ([] if one_by_one else ["circular-approximation-of-zero-padding"])
        assert close_enough(stored[layer]["singular_values"][0], exact[layer, "operator"]["singular_values"][0])
        close(exact[layer, "flattened"]["singular_values"], svd(k.reshape(co, -1)), f"{name} {layer} flattened")
        pooled = np.sort(svd(k.transpose(2, 3, 0, 1)).ravel())[::-1]
        close(exact[layer, "pooled-positions"]["singular_values"], pooled, f"{name} {layer} pooled positions")


def test_another_input_size_through_the_resnet(nnprobe, nets):
    """--input-size 10,8: every conv layer on the grid it then sees (the stride-2 block halves it),
    each against its unrolled operator: circular (--circular, exact), and as stored, where the
    unpadded 1×1 shortcut is exact and the zero-padded 3×3 layers are the circular ones, marked."""
    layers = svd_json(nnprobe, nets["resnet"], "--input-size", "10,8", "--circular")
    own = {e["name"]: e for e in svd_json(nnprobe, nets["resnet"], "--input-size", "10,8") if "view" in e}
    sizes = {e["name"]: e["input_size"] for e in layers if "view" in e}
    assert sizes == {"block0.main.0": [10, 8], "block1.main.0": [10, 8], "block1.main.3": [10, 8],
                     "block2.main.0": [10, 8], "block2.main.3": [5, 4], "block2.shortcut.0": [10, 8]}
    convs = conv_layers(nets["resnet"])
    for e in layers:
        if "view" in e:
            k, _, stride, padding = convs[e["name"]]
            circular = svd(unrolled(k, *e["input_size"], stride, None))
            close(e["singular_values"], circular, f"{e['name']} on {e['input_size']}, circular")
            stored = own[e["name"]]
            if k.shape[2] == 1 and padding == 0:
                assert stored["exact"] and stored["caveats"] == []
                close(stored["singular_values"], svd(unrolled(k, *e["input_size"], stride, 0)), f"{e['name']}, unpadded")
            else:
                assert not stored["exact"] and stored["caveats"] == ["circular-approximation-of-zero-padding"]
                close(stored["singular_values"], circular, f"{e['name']} as stored")
    # The read-out is a weight matrix, the same whatever the view.
    readout = [e for e in layers if "view" not in e]
    assert [e["name"] for e in readout] == ["block3.main.1"]
    with h5py.File(nets["resnet"], "r") as f:
        close(readout[0]["singular_values"], svd(f["model/layers/block3.main.1/weight"][()].astype(np.float64)), "read-out")


def test_progress_on_a_terminal_names_the_layer(nnprobe, nets, tmp_path):
    """One file's conv spectra: the bar on the terminal names the layer under way; stdout stays JSON."""
    master, slave = pty.openpty()
    out = open(tmp_path / "svd.json", "w+")   # a file, not a pipe: the document is larger than a pipe holds
    process = subprocess.Popen([nnprobe, "svd", nets["resnet"], "--json"], stdout=out, stderr=slave)
    os.close(slave)
    seen = read_terminal(master)
    process.wait(timeout=120)
    os.close(master)
    assert process.returncode == 0
    out.seek(0)
    assert json.load(out)["schema"] == "nnprobe.svd/1"
    assert b"block0.main.0" in seen, seen
