"""Conv nets end to end (checkpoint format 2): nnprobe trains a CNN and a ResNet on the real
Fashion-MNIST files Debian packages, and an independent numpy forward pass over the h5py-read
layer description and tensors reproduces the test loss and accuracy nnprobe stored."""
import gzip
import json
import math
import os

import h5py
import numpy as np
import pytest

from conftest import FASHION, run, train_runs

TEST_ROWS = 200
SMALL = ["--train-size", "600", "--val-size", "200", "--test-size", str(TEST_ROWS), "--epochs", "2", "--batch-size", "50"]
RUNS = {
    "cnn": ["fashion-mnist", "--arch", "cnn", "--channels", "4,6", "--fc", "12", "--batch-norm", "--dropout", "0.2", *SMALL],
    "resnet": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "4", *SMALL],
    "stage_heads": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,2", "--width", "3", "--heads-on", "stages",
                    "--no-residual", *SMALL],
}


def idx(name):
    path = os.path.join(FASHION, name)
    data = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * d:8 + 4 * d], "big") for d in range(rank)]
    return np.frombuffer(data[4 + 4 * rank:], dtype=np.uint8).reshape(dims)


def conv2d(x, w, b, stride, padding):
    n, c, h, wd = x.shape
    k = w.shape[2]
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - k) // stride + 1, (wd + 2 * padding - k) // stride + 1
    patches = np.stack([x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] for i in range(k) for j in range(k)], axis=2)
    y = np.einsum("ncqhw,ocq->nohw", patches, w.reshape(w.shape[0], c, k * k))
    return y if b is None else y + b[None, :, None, None]


def pool(x, k, stride, padding, kind):
    n, c, h, w = x.shape
    fill = -np.inf if kind == "max" else 0
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=fill)
    oh, ow = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    windows = np.stack([x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] for i in range(k) for j in range(k)])
    return windows.max(axis=0) if kind == "max" else windows.sum(axis=0) / (k * k)


ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2))),   # the exact (erf) form, as nn.GELU()
    "identity": lambda x: x,
}


def layer(group, op, spec, x):
    tensor = lambda name: group[name][()].astype(np.float64) if name in group else None
    if op == "conv2d":
        return conv2d(x, tensor("weight"), tensor("bias"), spec["stride"], spec["padding"])
    if op == "linear":
        return x @ tensor("weight").T + tensor("bias")
    if op == "batch_norm":
        shape = (1, -1, 1, 1) if x.ndim == 4 else (1, -1)
        mean, var = tensor("running_mean").reshape(shape), tensor("running_var").reshape(shape)
        return tensor("weight").reshape(shape) * (x - mean) / np.sqrt(var + group.attrs["bn_eps"]) + tensor("bias").reshape(shape)
    if op == "activation":
        return ACTIVATIONS[spec["activation"]](x)
    if op in ("max_pool", "avg_pool"):
        return pool(x, spec["kernel"], spec["stride"], spec["padding"], op[:3])
    if op == "global_avg_pool":
        return x.mean(axis=(2, 3))
    if op == "flatten":
        return x.reshape(x.shape[0], -1)
    assert op == "dropout"
    return x


def forward(f, x):
    model = f["model"]
    stack = json.loads(model.attrs["stack"])
    layers = model["layers"]

    def chain(specs, prefix, h):
        for i, spec in enumerate(specs):
            g = layers[f"{prefix}.{i}"]
            assert g.attrs["op"] == spec["op"]
            h = layer(g, spec["op"], spec, h)
        return h

    outputs = []
    for b, block in enumerate(stack["blocks"]):
        main = chain(block["main"], f"block{b}.main", x)
        if block["shortcut"] is not None:
            main = main + chain(block["shortcut"], f"block{b}.shortcut", x)
        x = chain(block["after"], f"block{b}.after", main)
        outputs.append(x)
    if not stack["heads"]:
        return x
    return sum(chain(head["layers"] + [{"op": "linear"}], f"head{k}", outputs[head["source"]])
               for k, head in enumerate(stack["heads"]))


@pytest.fixture(scope="module")
def conv_runs(nnprobe, tmp_path_factory):
    return train_runs(nnprobe, tmp_path_factory.mktemp("conv"), RUNS)


@pytest.mark.parametrize("name", list(RUNS))
def test_numpy_forward_reproduces_the_stored_test_loss(conv_runs, name):
    images = idx("t10k-images-idx3-ubyte")[:TEST_ROWS].astype(np.float64)[:, None] / 255
    labels = idx("t10k-labels-idx1-ubyte")[:TEST_ROWS].astype(int)
    with h5py.File(conv_runs[name], "r") as f:
        assert f.attrs["format_version"] == 2 and f["model"].attrs["kind"] == "layers"
        y = forward(f, images)
        shifted = y - y.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_softmax[np.arange(TEST_ROWS), labels].mean()
        assert loss == pytest.approx(f["history"].attrs["test_loss"], rel=1e-4)
        assert (y.argmax(axis=1) == labels).mean() == pytest.approx(f["history"].attrs["test_accuracy"], abs=1e-9)
        n_parameters = sum(d.size for g in f["model/layers"].values() for k, d in g.items() if k in ("weight", "bias"))
        assert n_parameters == f["model"].attrs["n_parameters"]


def test_a_conv_checkpoint_transfers_with_a_frozen_backbone(nnprobe, conv_runs, tmp_path):
    out = str(tmp_path / "probe.h5")
    run(nnprobe, "train", "fashion-mnist", "--init-from", conv_runs["resnet"], "--freeze", "backbone", *SMALL, "--save", out)
    with h5py.File(conv_runs["resnet"], "r") as source, h5py.File(out, "r") as probe:
        for name, g in source["model/layers"].items():
            frozen = not name.startswith(f"block{len(json.loads(source['model'].attrs['stack'])['blocks']) - 1}.")
            for tensor in g:
                same = np.array_equal(g[tensor][()], probe["model/layers"][name][tensor][()])
                if tensor in ("weight", "bias"):
                    assert same == frozen, (name, tensor)


def test_the_analyses_once_limited_to_mlps_accept_a_conv_checkpoint(nnprobe, conv_runs):
    """ortho and regions refused conv checkpoints before issue 13; now each gives its JSON report
    about this file (their numbers are checked in test_conv_analyses.py and ConvRegionTests)."""
    for command in (["ortho", conv_runs["cnn"]], ["regions", conv_runs["cnn"], "--grid", "8"]):
        report = json.loads(run(nnprobe, *command, "--json").stdout)
        assert conv_runs["cnn"] in json.dumps(report), command


def test_weight_analyses_read_conv_layers_as_flattened_matrices(nnprobe, conv_runs):
    """svd and norms take a conv layer as its out × (in·k·k) matrix (what PyTorch's spectral_norm
    uses): the spectral and Frobenius norms equal numpy's on the h5py-read kernels."""
    import json as json_module
    svd = json_module.loads(run(nnprobe, "svd", conv_runs["resnet"], "--view", "flattened", "--json").stdout)
    norms = json_module.loads(run(nnprobe, "norms", conv_runs["stage_heads"], "--json").stdout)
    with h5py.File(conv_runs["resnet"], "r") as f:
        layers = f["model/layers"]
        named = {name: g["weight"][()].astype(np.float64) for name, g in layers.items() if "weight" in g and g["weight"].ndim >= 2}
    text = json_module.dumps(svd)
    for name, w in named.items():
        matrix = w.reshape(w.shape[0], -1)
        sigma = np.linalg.svd(matrix, compute_uv=False)
        assert name in text
        assert f"{sigma[0]:.6g}"[:5] in text or any(abs(v - sigma[0]) < 1e-6 * sigma[0]
                                                    for v in _numbers(svd)), (name, sigma[0])
    assert "head0" in json_module.dumps(norms) and "head1" in json_module.dumps(norms)


def _numbers(tree):
    if isinstance(tree, dict):
        for value in tree.values():
            yield from _numbers(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _numbers(value)
    elif isinstance(tree, float):
        yield tree
