"""`nnprobe ablate` on a conv net (checkpoint format 2): a channel of a ResNet block's output,
ablated at every position, changes each class's loss exactly as an independent numpy forward
pass over the h5py-read layers says."""
import json
import os

import h5py
import numpy as np
import pytest

from conftest import run
from test_conv_checkpoint import FASHION, RUNS, TEST_ROWS, idx, layer


def forward(f, x, edit_block=None, edit=None):
    """The model's outputs, with `edit` applied to block `edit_block`'s output (after its sum and after-layers)."""
    model = f["model"]
    stack = json.loads(model.attrs["stack"])
    layers = model["layers"]

    def chain(specs, prefix, h):
        for i, spec in enumerate(specs):
            h = layer(layers[f"{prefix}.{i}"], spec["op"], spec, h)
        return h

    for b, block in enumerate(stack["blocks"]):
        main = chain(block["main"], f"block{b}.main", x)
        if block["shortcut"] is not None:
            main = main + chain(block["shortcut"], f"block{b}.shortcut", x)
        x = chain(block["after"], f"block{b}.after", main)
        if b == edit_block:
            x = edit(x)
    assert not stack["heads"]
    return x


def class_losses(y, labels):
    """Cross-entropy over the rows of each class (nnprobe's per-output tasks for classifiers)."""
    shifted = y - y.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    per_row = -log_softmax[np.arange(len(labels)), labels]
    return [per_row[labels == k].mean() for k in range(y.shape[1])]


@pytest.fixture(scope="module")
def resnet(nnprobe, tmp_path_factory):
    if not os.path.isdir(FASHION):
        pytest.fail(f"{FASHION} missing: make test installs Debian's dataset-fashion-mnist")
    path = str(tmp_path_factory.mktemp("ablate") / "resnet.h5")
    run(nnprobe, "train", *RUNS["resnet"], "--save", path, "--no-dump")
    return path


def test_a_channel_ablated_at_every_position_matches_numpy(nnprobe, resnet):
    report = json.loads(run(nnprobe, "ablate", resnet, "--layer", "1", "--units", "0,2", "--json").stdout)
    entry = report["files"][0]
    assert entry["layer"] == "layer_1" and entry["width"] == 4 and "readout" not in entry
    images = (idx("t10k-images-idx3-ubyte")[:TEST_ROWS].astype(np.float32)[:, None] / np.float32(255)).astype(np.float64)
    labels = idx("t10k-labels-idx1-ubyte")[:TEST_ROWS].astype(int)
    with h5py.File(resnet, "r") as f:
        values = {}

        def keep(h):
            values["block1"] = h
            return h
        base = class_losses(forward(f, images, 1, keep), labels)
        mean = values["block1"].mean(axis=0)                      # per channel and position

        def ablated(channels):
            def edit(h):
                h = h.copy()
                h[:, channels] = mean[channels]
                return h
            return class_losses(forward(f, images, 1, edit), labels)
        assert entry["base_losses"] == pytest.approx(base, rel=1e-6)
        for unit in entry["units"]:
            assert unit["losses"] == pytest.approx(ablated([unit["index"]]), rel=1e-6), unit["index"]
        assert entry["groups"][0]["losses"] == pytest.approx(ablated([0, 2]), rel=1e-6)
