"""Analyses of conv nets (issue 13) against numpy. ortho: each read-out's geometry over the
features it reads, checked on the h5py-read weights (cosines, angles, interference to 1e-10) and
an independent numpy forward pass of the test split (each feature's std: the float32 engine to
1e-4 of numpy's float64 value); the unit shares follow from the reported stds to 1e-10. pca of a
stage by name: the covariance spectrum of that stage's pooled channels in the numpy forward pass
(1e-4, float32 engine). norms by torchvision name: numpy's norms of that kernel (1e-10)."""
import json

import h5py
import numpy as np
import pytest

from conftest import run, train_runs
from test_conv_checkpoint import idx, layer

TEST_ROWS = 200
SMALL = ["--train-size", "600", "--val-size", "200", "--test-size", str(TEST_ROWS), "--epochs", "1", "--batch-size", "50"]
RUNS = {
    # A CNN: one read-out over the last fc layer's units.
    "cnn": ["fashion-mnist", "--arch", "cnn", "--channels", "4,6", "--fc", "12", *SMALL],
    # A ResNet with a head on each stage: each head over its own stage's pooled channels.
    "stage_heads": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "3", "--heads-on", "stages", *SMALL],
    # A ResNet with one read-out over the last stage's pooled channels.
    "resnet": ["fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "4", *SMALL],
}


@pytest.fixture(scope="module")
def ortho_runs(nnprobe, tmp_path_factory):
    return train_runs(nnprobe, tmp_path_factory.mktemp("ortho_conv"), RUNS)


def chain(layers, specs, prefix, x):
    for i, spec in enumerate(specs):
        x = layer(layers[f"{prefix}.{i}"], spec["op"], spec, x)
    return x


def block_outputs(f, x):
    stack = json.loads(f["model"].attrs["stack"])
    layers = f["model/layers"]
    outputs = []
    for b, block in enumerate(stack["blocks"]):
        main = chain(layers, block["main"], f"block{b}.main", x)
        if block["shortcut"] is not None:
            main = main + chain(layers, block["shortcut"], f"block{b}.shortcut", x)
        x = chain(layers, block["after"], f"block{b}.after", main)
        outputs.append(x)
    return outputs


def readouts(f, x):
    """(source, weight, features) per read-out, the features computed in float64 from the inputs."""
    stack = json.loads(f["model"].attrs["stack"])
    layers = f["model/layers"]
    outputs = block_outputs(f, x)
    found = []
    for k, head in enumerate(stack["heads"]):
        features = chain(layers, head["layers"], f"head{k}", outputs[head["source"]])
        name = f"head{k}.{len(head['layers'])}"
        found.append((name, layers[name]["weight"][()].astype(np.float64), features))
    if not stack["heads"]:
        last = len(stack["blocks"]) - 1
        main = stack["blocks"][last]["main"]
        features = chain(layers, main[:-1], f"block{last}.main", outputs[last - 1])
        name = f"block{last}.main.{len(main) - 1}"
        found.append((name, layers[name]["weight"][()].astype(np.float64), features.reshape(len(features), -1)))
    return found


@pytest.mark.parametrize("name", list(RUNS))
def test_ortho_on_a_conv_net_matches_numpy(nnprobe, ortho_runs, name):
    report = json.loads(run(nnprobe, "ortho", ortho_runs[name], "--json").stdout)
    (entry,) = report["files"]
    images = idx("t10k-images-idx3-ubyte")[:TEST_ROWS].astype(np.float64)[:, None] / 255
    with h5py.File(ortho_runs[name], "r") as f:
        expected = readouts(f, images)
    assert [r["source"] for r in entry["readouts"]] == [e[0] for e in expected]
    assert ("note" in entry) == (len(expected) > 1)
    for r, (source, w, features) in zip(entry["readouts"], expected):
        assert r["tasks"] == [f"output_{i}" for i in range(10)]
        assert np.abs(np.array(r["vectors"]) - w).max() <= 1e-10 * np.abs(w).max()
        unit = w / np.linalg.norm(w, axis=1, keepdims=True)
        cosines = unit @ unit.T
        pairs = [(i, k) for i in range(10) for k in range(i + 1, 10)]
        assert len(r["pairs"]) == len(pairs)
        for p, (i, k) in zip(r["pairs"], pairs):
            assert p["tasks"] == [f"output_{i}", f"output_{k}"]
            assert p["cosine"] == pytest.approx(cosines[i, k], abs=1e-10)
            assert p["angle_degrees"] == pytest.approx(np.degrees(np.arccos(np.clip(cosines[i, k], -1, 1))), abs=1e-8)
        projections = (unit @ w.T) ** 2
        interference = projections.sum(axis=1) - np.diag(projections)
        assert np.array(r["interference"]) == pytest.approx(interference, rel=1e-10, abs=1e-12)
        # Each feature's spread over the test split: the engine's float32 forward against numpy's float64.
        std = features.std(axis=0, ddof=1)
        reported = np.array([u["std"] for u in r["units"]])
        assert len(reported) == w.shape[1] == features.shape[1]
        assert np.abs(reported - std).max() <= 1e-4 * max(std.max(), 1e-12)
        # Shares and kinds follow from the reported stds exactly.
        attribution = np.abs(w) * reported[None, :]
        total = attribution.sum(axis=0)
        shares = np.where(total > 0, attribution / np.where(total > 0, total, 1), 0)
        assert np.abs(np.array([u["shares"] for u in r["units"]]).T - shares).max() <= 1e-10
        kinds = ["dead" if s == 0 or t == 0 else "mono" if shares[:, j].max() >= 0.95 else "shared"
                 for j, (s, t) in enumerate(zip(reported, total))]
        assert [u["kind"] for u in r["units"]] == kinds
        assert r["features"].split(" ")[0] == str(w.shape[1])
    if name == "stage_heads":
        assert [r["reads_layer"] for r in entry["readouts"]] == ["block1", "block2"]
        assert [r["features"] for r in entry["readouts"]] == ["3 pooled channels of block1 (stage1)", "6 pooled channels of block2 (stage2)"]
        assert "different features" in entry["note"]
    if name == "cnn":
        assert entry["readouts"][0]["features"] == "12 units of block2"


def test_pca_of_a_stage_by_name_matches_numpy(nnprobe, ortho_runs):
    report = json.loads(run(nnprobe, "pca", ortho_runs["resnet"], "--layer", "stage2", "--components", "4", "--json").stdout)
    (entry,) = report["layers"]
    images = idx("t10k-images-idx3-ubyte")[:TEST_ROWS].astype(np.float64)[:, None] / 255
    with h5py.File(ortho_runs["resnet"], "r") as f:
        pooled = block_outputs(f, images)[2].mean(axis=(2, 3))   # stage 2 is block 2: its 8 channels' means
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(pooled, rowvar=False, ddof=1)))[::-1]
    assert entry["layer"] == 2 and entry["n_features"] == 8 and entry["n_samples"] == TEST_ROWS
    got = np.array(entry["explained_variance"])
    assert np.abs(got - eigenvalues[:len(got)]).max() <= 1e-4 * eigenvalues[0]
    assert np.array(entry["explained_variance_ratio"]) == pytest.approx(eigenvalues[:len(got)] / eigenvalues.sum(), abs=1e-4)


def test_norms_by_torchvision_name_match_numpy(nnprobe, ortho_runs):
    report = json.loads(run(nnprobe, "norms", ortho_runs["resnet"], "--layer", "layer2.0.conv2", "--json").stdout)
    (entry,) = report["files"][0]["entries"]
    with h5py.File(ortho_runs["resnet"], "r") as f:
        w = f["model/layers/block2.main.3/weight"][()].astype(np.float64)
    matrix = w.reshape(w.shape[0], -1)
    assert entry["name"] == "block2.main.3"
    assert entry["frobenius_norm"] == pytest.approx(np.linalg.norm(matrix), rel=1e-10)
    assert entry["spectral_norm"] == pytest.approx(np.linalg.svd(matrix, compute_uv=False)[0], rel=1e-10)
