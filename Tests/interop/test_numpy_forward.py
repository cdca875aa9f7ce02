"""An independent numpy forward pass over h5py-read weights reproduces the outputs and the
test loss nnprobe stored."""
import math

import h5py
import numpy as np
import pytest


def activation(name, z):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "tanh":
        return np.tanh(z)
    if name == "gelu":
        erf = np.vectorize(math.erf)
        return 0.5 * z * (1 + erf(z / np.sqrt(2)))
    assert name == "identity"
    return z


def forward(f, x):
    model = f["model"]
    h = x.astype(np.float64)
    outputs = []
    for i in range(int(model.attrs["n_layers"])):
        g = model[f"layer_{i}"]
        z = h @ g["weight"][()].astype(np.float64).T + g["bias"][()]
        if int(g.attrs["batch_norm"]):
            z = g["gamma"][()] * (z - g["running_mean"][()]) / np.sqrt(g["running_var"][()] + g.attrs["bn_eps"]) + g["beta"][()]
        a = activation(g.attrs["activation"], z)
        h = h + a if int(g.attrs["residual"]) else a
        outputs.append(h)
    heads = int(model.attrs["n_heads"])
    if heads == 0:
        return outputs[-1], outputs
    y = sum(outputs[model[f"head_{k}"].attrs["source_layer"]] @ model[f"head_{k}/weight"][()].T.astype(np.float64)
            + model[f"head_{k}/bias"][()] for k in range(heads))
    return y, outputs


@pytest.mark.parametrize("run", ["multimult", "spirals_bn", "multihead"])
def test_forward_reproduces_stored_outputs_and_test_loss(trained, run):
    with h5py.File(trained[run], "r") as f, h5py.File(trained[run].replace(".h5", ".acts-test.h5"), "r") as d:
        x, targets = d["inputs"][()], d["targets"][()]
        y, layers = forward(f, x)
        np.testing.assert_allclose(y, d["outputs"][()], rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(layers[0], d["layers/layer_0/post"][()], rtol=1e-4, atol=1e-5)
        if f.attrs["task"] == "spirals":
            shifted = y - y.max(axis=1, keepdims=True)
            log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -(log_softmax * targets).sum(axis=1).mean()
            accuracy = (y.argmax(axis=1) == targets.argmax(axis=1)).mean()
            assert accuracy == pytest.approx(f["history"].attrs["test_accuracy"], abs=1e-9)
        else:
            loss = ((y - targets) ** 2).mean()
        assert loss == pytest.approx(f["history"].attrs["test_loss"], rel=1e-4)
