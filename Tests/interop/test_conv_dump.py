"""Conv nets' activation dumps (dump format 2): nnprobe trains a small CNN and a ResNet on the real
Fashion-MNIST files with --save, and an independent numpy forward pass over the h5py-read
checkpoint (test_conv_checkpoint's layers) reproduces every block's stored `post`, `pre` and
`pooled` (and `pooled_pre`) from the dump's own inputs, to 1e-5. The layout matches the
documented table, and h5py streams the 4-D maps chunk by chunk."""
import json

import h5py
import numpy as np
import pytest

from conftest import run, train_runs
from test_conv_checkpoint import forward, layer
from test_layout_matches_doc import check, doc_rows, expand

SMALL = ["--train-size", "200", "--val-size", "50", "--test-size", "60", "--epochs", "1", "--batch-size", "50"]
RUNS = {
    # --channels 4 --fc 8 as in issue 12; a second conv block ends in flatten, so it is stored with its image shape.
    "cnn": ["fashion-mnist", "--arch", "cnn", "--channels", "4,3", "--fc", "8", "--batch-norm", *SMALL, "--dump-rows", "9"],
    "resnet": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "4", *SMALL],
    "stage_heads": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,2", "--width", "3", "--heads-on", "stages",
                    "--no-residual", *SMALL, "--dump-rows", "0"],
}
ROWS = 60


def block_activations(f, x):
    """Per block of the checkpoint `f`, its (pre, post) on inputs `x` (N, C, H, W): `pre` is the input of
    the block's first activation in execution order (main, shortcut, after), or `post` when there is none."""
    stack = json.loads(f["model"].attrs["stack"])
    layers = f["model/layers"]
    result = []
    for b, block in enumerate(stack["blocks"]):
        pre = None

        def chain(specs, prefix, h):
            nonlocal pre
            for i, spec in enumerate(specs):
                if spec["op"] == "activation" and pre is None:
                    pre = h
                h = layer(layers[f"{prefix}.{i}"], spec["op"], spec, h)
            return h

        main = chain(block["main"], f"block{b}.main", x)
        if block["shortcut"] is not None:
            main = main + chain(block["shortcut"], f"block{b}.shortcut", x)
        x = chain(block["after"], f"block{b}.after", main)
        result.append((x if pre is None else pre, x))
    return result


def close(stored, expected, name):
    """|stored − expected| ≤ 1e-5 · max(1, |expected|), elementwise."""
    assert stored.shape == expected.shape, (name, stored.shape, expected.shape)
    error = np.abs(stored - expected) / np.maximum(1, np.abs(expected))
    worst = error.max(initial=0)
    assert worst <= 1e-5, f"{name}: largest scaled error {worst:.3g}"
    return worst


@pytest.fixture(scope="module")
def conv_dumps(nnprobe, tmp_path_factory):
    return train_runs(nnprobe, tmp_path_factory.mktemp("convdumps"), RUNS)


@pytest.mark.parametrize("name", list(RUNS))
def test_numpy_forward_reproduces_every_block(conv_dumps, name):
    checkpoint = conv_dumps[name]
    with h5py.File(checkpoint, "r") as f, h5py.File(checkpoint.replace(".h5", ".acts-test.h5"), "r") as d:
        assert d.attrs["format_version"] == 2 and d.attrs["n_samples"] == ROWS
        m = int(d.attrs["n_map_rows"])
        assert m == {"cnn": 9, "resnet": ROWS, "stage_heads": 0}[name]
        shape = tuple(int(s) for s in f["model"].attrs["input_shape"])
        x = d["inputs"][()].astype(np.float64).reshape(ROWS, *shape)
        expected = block_activations(f, x)
        stack = json.loads(f["model"].attrs["stack"])
        assert int(d.attrs["n_layers"]) == len(stack["blocks"]) == len(expected)
        for b, (pre, post) in enumerate(expected):
            g = d[f"layers/layer_{b}"]
            assert g.attrs["name"] == f"block{b}"
            assert list(g.attrs["layers"]) == [n for n in sorted(f["model/layers"], key=lambda n: f["model/layers"][n].attrs["order"])
                                               if n.startswith(f"block{b}.")]
            for part, value, attribute in (("post", post, "shape"), ("pre", pre, "pre_shape")):
                c, h, w = (int(s) for s in g.attrs[attribute])
                if h * w > 1:
                    value = value.reshape(ROWS, c, h, w)   # a block ending in flatten: the maps before it
                    close(g[part][()], value[:m], f"{name} block{b} {part}")
                    close(g["pooled" if part == "post" else "pooled_pre"][()], value.mean(axis=(2, 3)), f"{name} block{b} pooled {part}")
                    assert g[part].chunks[1:] == (c, h, w) and g[part].chunks[0] * c * h * w * 4 <= max(2**20, c * h * w * 4)
                else:
                    close(g[part][()], value.reshape(ROWS, c), f"{name} block{b} {part}")
                    assert "pooled" not in g or part == "pre"
        close(d["outputs"][()], forward(f, x), f"{name} outputs")


@pytest.mark.parametrize("name", list(RUNS))
def test_conv_dump_has_every_documented_object(conv_dumps, name):
    with h5py.File(conv_dumps[name].replace(".h5", ".acts-test.h5"), "r") as f:
        checked = 0
        for path, kind, dtype, shape, when in doc_rows("## Activation dump format 2"):
            for concrete in expand(path, f):
                owner = concrete.split("/@")[0].rsplit("/", 1)[0] if concrete.endswith(("pooled", "pooled_pre")) else None
                if when != "always":
                    c, h, w = f[owner].attrs["shape" if when == "image post" else "pre_shape"]
                    if h * w == 1:
                        assert concrete not in f
                        continue
                if concrete.endswith(("/post", "/pre")):
                    c, h, w = f[concrete.rsplit("/", 1)[0]].attrs["shape" if concrete.endswith("post") else "pre_shape"]
                    shape = "(M, C, H, W)" if h * w > 1 else "(N, C)"
                check(f, concrete, kind, dtype, shape)
                checked += 1
        assert checked >= 20


def test_analyses_read_pooled_channels(nnprobe, conv_dumps):
    dump = conv_dumps["resnet"].replace(".h5", ".acts-test.h5")
    report = json.loads(run(nnprobe, "pca", dump, "--layer", "1", "--json").stdout)
    with h5py.File(dump, "r") as f:
        pooled = f["layers/layer_1/pooled"][()].astype(np.float64)
    variance = np.linalg.eigvalsh(np.cov(pooled, rowvar=False))[::-1]
    np.testing.assert_allclose(report["layers"][0]["explained_variance"][:3], variance[:3], rtol=1e-6, atol=1e-9)



def test_json_of_conv_dumps_follows_the_schemas(nnprobe, conv_dumps, tmp_path):
    from test_json_schemas import validate
    dump = conv_dumps["cnn"].replace(".h5", ".acts-test.h5")
    report = validate("inspect", run(nnprobe, "inspect", dump, "--json").stdout)
    assert report["layer_shapes"] == [[4, 14, 14], [3, 7, 7], [8, 1, 1], [10, 1, 1]] and report["n_map_rows"] == 9
    assert report["layer_widths"] == [4, 3, 8, 10]
    validate("pca", run(nnprobe, "pca", dump, "--pre", "--json").stdout)
    validate("similarity", run(nnprobe, "similarity", dump, "--json").stdout)
    validate("dump", run(nnprobe, "dump", conv_dumps["resnet"], "--out", str(tmp_path / "r.h5"), "--json").stdout)
