"""`nnprobe probe` on conv nets and class subsets, checked independently: a CNN trained on three
Fashion-MNIST classes in a chosen order (`--class-subset 7,2,5`) is dumped (its splits' inputs
and labels); an independent numpy forward pass over the h5py-read weights (test_conv_dump's
`block_activations`) gives each block's activations, averaged over positions per channel, and
scikit-learn's LogisticRegression fitted on them must score what `probe --layer blockN` reports
to 1e-4. The subset itself is checked against the IDX files read here: the test split is the
kept classes' test images in file order, relabelled by their place in the list, and every
training and validation row is a training image of the class its label names; the split sizes
add up to the kept training images."""
import json

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

from conftest import run, train_runs
from test_conv_checkpoint import idx
from test_conv_dump import block_activations

SUBSET = [7, 2, 5]
ROWS = ["--train-size", "600", "--val-size", "150", "--test-size", "300"]


def trained(nnprobe, tmp_path):
    return train_runs(nnprobe, tmp_path, {"cnn": [
        "fashion-mnist", "--arch", "cnn", "--channels", "4,6", "--fc", "12", "--batch-norm", "--class-subset", "7,2,5",
        *ROWS, "--epochs", "2", "--batch-size", "50", "--no-dump"]})["cnn"]


def dump(nnprobe, checkpoint, split, tmp_path):
    """(inputs, labels) of a split of the checkpoint's task, from `nnprobe dump`."""
    path = tmp_path / f"{split}.h5"
    run(nnprobe, "dump", checkpoint, "--dataset", split, "--dump-rows", "0", "--out", str(path))
    with h5py.File(path, "r") as f:
        return f["inputs"][()].astype(np.float64), f["targets"][()].argmax(1)


def test_conv_block_probes_match_scikit_learn_on_independent_features(nnprobe, tmp_path):
    checkpoint = trained(nnprobe, tmp_path)
    (x_train, y_train), (x_test, y_test) = dump(nnprobe, checkpoint, "train", tmp_path), dump(nnprobe, checkpoint, "test", tmp_path)
    with h5py.File(checkpoint, "r") as f:
        shape = (-1, 1, 28, 28)
        blocks_train = block_activations(f, x_train.reshape(shape))
        blocks_test = block_activations(f, x_test.reshape(shape))
        assert json.loads(f.attrs["config"])["data"]["class_subset"] == SUBSET
    report = json.loads(run(nnprobe, "probe", checkpoint, "--C", "0.5", "--json").stdout)
    assert [e["name"] for e in report["layers"]] == [f"block{b}" for b in range(len(blocks_train))]
    assert report["class_subset"] == SUBSET and report["n_train"] == 600 and report["n_held_out"] == 300
    with h5py.File(checkpoint, "r") as f:
        specs = json.loads(f["model"].attrs["stack"])["blocks"]

    def pooled(a, spec):
        """A block's output averaged over positions per channel; a block ending in flatten is its image before it."""
        if a.ndim == 2 and spec["after"] and spec["after"][-1]["op"] == "flatten":
            a = a.reshape(a.shape[0], [s for s in spec["main"] if s["op"] == "conv2d"][-1]["channels"], -1)
        return a.reshape(a.shape[0], a.shape[1], -1).mean(axis=2) if a.ndim >= 3 else a
    for b, entry in enumerate(report["layers"]):
        by_name = json.loads(run(nnprobe, "probe", checkpoint, "--layer", f"block{b}", "--C", "0.5", "--json").stdout)["layers"]
        assert by_name == [entry]
        f_train, f_test = pooled(blocks_train[b][1], specs[b]), pooled(blocks_test[b][1], specs[b])
        assert entry["n_features"] == f_train.shape[1]
        model = LogisticRegression(C=0.5, tol=1e-10, max_iter=100_000).fit(f_train, y_train)
        assert abs(entry["score"] - accuracy_score(y_test, model.predict(f_test))) <= 1e-4, entry
        assert abs(entry["train_score"] - accuracy_score(y_train, model.predict(f_train))) <= 1e-4, entry
    raw = json.loads(run(nnprobe, "probe", checkpoint, "--layer", "input", "--C", "0.5", "--json").stdout)["layers"]
    model = LogisticRegression(C=0.5, tol=1e-10, max_iter=100_000).fit(x_train, y_train)
    assert raw[0]["layer"] is None and raw[0]["name"] == "inputs"
    assert abs(raw[0]["score"] - accuracy_score(y_test, model.predict(x_test))) <= 1e-4, raw


def test_class_subset_keeps_and_relabels_the_classes(nnprobe, tmp_path):
    checkpoint = trained(nnprobe, tmp_path)
    train_images, train_labels = idx("train-images-idx3-ubyte"), idx("train-labels-idx1-ubyte")
    test_images, test_labels = idx("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte")
    x_test, y_test = dump(nnprobe, checkpoint, "test", tmp_path)
    kept = np.isin(test_labels, SUBSET)
    expected = test_images[kept][:300].reshape(300, -1) / 255.0
    assert np.abs(x_test - expected).max() < 1e-6                        # the kept test images, in file order
    assert list(y_test) == [SUBSET.index(c) for c in test_labels[kept][:300]]
    by_image = {}
    for image, label in zip(train_images[np.isin(train_labels, SUBSET)], train_labels[np.isin(train_labels, SUBSET)]):
        by_image[image.tobytes()] = SUBSET.index(label)
    for split, rows in (("train", 600), ("val", 150)):
        x, y = dump(nnprobe, checkpoint, split, tmp_path)
        assert len(y) == rows
        pixels = np.rint(x * 255).astype(np.uint8)
        assert all(by_image[p.tobytes()] == label for p, label in zip(pixels, y)), split
    # Without caps the splits share out exactly the kept training images (validation: 10 %).
    whole = str(tmp_path / "whole.h5")
    run(nnprobe, "train", "fashion-mnist", "--arch", "cnn", "--channels", "2", "--fc", "4", "--class-subset", "7,2,5",
        "--epochs", "1", "--batch-size", "500", "--save", whole, "--no-dump")
    n_kept = int(np.isin(train_labels, SUBSET).sum())
    assert n_kept == 18000
    train_report = json.loads(run(nnprobe, "probe", whole, "--layer", "block0", "--rows", "100000", "--held-out", "val", "--json").stdout)
    assert train_report["n_train"] + train_report["n_held_out"] == n_kept and train_report["n_held_out"] == n_kept // 10


def test_probe_bad_layers_and_subsets_are_one_line(nnprobe, tmp_path):
    checkpoint = trained(nnprobe, tmp_path)
    cases = [
        (["--layer", "block9"], "--layer block9 is not a layer of this model; layers: block0, block1, block2, block3, input"),
        (["--layer", "block1.main.0"], "--layer block1.main.0 is a layer inside a block, whose own activations are not kept; "
                                       "probe a block's output: block0, block1, block2, block3, input"),
        (["--layer", "7"], "--layer 7 is out of range"),
        (["--method", "ridge"], "--method ridge does not fit this task"),
        (["--class-subset", "4-2"], "--class-subset 4-2: range 4-2 runs backwards"),
        (["--class-subset", "3,3"], "--class-subset 3,3: class 3 is named twice"),
        (["--class-subset", "8-12"], "class 10 is not in the data"),
    ]
    for args, message in cases:
        result = run(nnprobe, "probe", checkpoint, *args, check=False)
        assert result.returncode != 0, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
    train_cases = [
        (["blobs", "--class-subset", "0-1"], "--class-subset 0,1: only the image classification tasks"),
        (["fashion-mnist", "--class-subset", "4-2"], "'data.class_subset': range 4-2 runs backwards"),
        (["fashion-mnist", "--class-subset", "3,12"], "--class-subset 3,12: class 12 is not in the data, whose labels are 0…9"),
    ]
    for args, message in train_cases:
        result = run(nnprobe, "train", *args, "--epochs", "1", "--train-size", "100", "--save", str(tmp_path / "b.h5"), "--no-dump", check=False)
        lines = result.stderr.strip().splitlines()
        assert result.returncode != 0 and len(lines) == 1 and message in lines[0], (args, result.stderr)


def test_probe_takes_stage_and_torchvision_names_as_pca_does(nnprobe, tmp_path):
    """A ResNet's stage (stage2, torchvision's layer2) is its last block, layer2.0 that block:
    the same fits as naming the block; a layer inside a block is refused in one line."""
    checkpoint = train_runs(nnprobe, tmp_path, {"resnet": [
        "fashion-mnist", "--arch", "resnet", "--blocks", "1,1", "--width", "4", *ROWS, "--epochs", "1", "--no-dump"]})["resnet"]
    probe = lambda layer: run(nnprobe, "probe", checkpoint, "--layer", layer, "--rows", "200", "--json").stdout
    by_block = probe("block2")
    assert json.loads(by_block)["layers"], by_block
    for name in ("stage2", "layer2", "layer2.0"):
        assert probe(name) == by_block, name
    inner = run(nnprobe, "probe", checkpoint, "--layer", "layer2.0.conv1", check=False)
    assert inner.returncode == 1 and inner.stderr.count("\n") == 1
    assert "--layer layer2.0.conv1 is a layer inside a block" in inner.stderr and "stage2" in inner.stderr, inner.stderr
