"""`nnprobe probe` against scikit-learn fitted on the same rows: each layer's activations are read
from activation dumps of the checkpoint's train and test splits (`nnprobe dump`), and
`LogisticRegression(C)` / `Ridge(alpha)` are fitted on them here. Held-out accuracies agree to
one row at most (a row whose two best classes differ by less than the coefficients' 1e-4 may
flip; they were equal when written), R² to 1e-9 (they agreed to 5e-16)."""
import json

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score

from conftest import run


def dumps(nnprobe, checkpoint, tmp_path):
    """(train, test) dumps of the checkpoint as dicts: inputs, targets and each layer's post-activations."""
    out = []
    for split in ("train", "test"):
        path = tmp_path / f"{split}.h5"
        run(nnprobe, "dump", checkpoint, "--dataset", split, "--out", str(path))
        with h5py.File(path, "r") as f:
            layers = sorted(f["layers"], key=lambda name: int(name.split("_")[1]))
            out.append({"inputs": f["inputs"][()].astype(np.float64), "targets": f["targets"][()].astype(np.float64),
                        "layers": [f[f"layers/{name}/post"][()].astype(np.float64) for name in layers]})
    return out


def test_logistic_probe_matches_scikit_learn(nnprobe, tmp_path):
    checkpoint = str(tmp_path / "blobs.h5")
    run(nnprobe, "train", "blobs", "--classes", "4", "--hidden", "16,16", "--epochs", "3", "--train-size", "800",
        "--val-size", "100", "--test-size", "400", "--save", checkpoint, "--no-dump")
    report = json.loads(run(nnprobe, "probe", checkpoint, "--C", "0.5", "--baseline", "logistic", "--json").stdout)
    train, test = dumps(nnprobe, checkpoint, tmp_path)
    y_train, y_test = train["targets"].argmax(1), test["targets"].argmax(1)     # one-hot in the dumps
    features = [(l, train["layers"][l], test["layers"][l]) for l in range(len(train["layers"]))]
    entries = report["layers"] + report["baselines"]
    assert len(entries) == len(features) + 1
    for entry, (_, x_train, x_test) in zip(entries, features + [(None, train["inputs"], test["inputs"])]):
        model = LogisticRegression(C=0.5, tol=1e-10, max_iter=100_000).fit(x_train, y_train)
        assert abs(entry["score"] - accuracy_score(y_test, model.predict(x_test))) <= 1 / len(y_test) + 1e-12, entry
        assert abs(entry["train_score"] - accuracy_score(y_train, model.predict(x_train))) <= 1 / len(y_train) + 1e-12, entry
        assert entry["n_features"] == x_train.shape[1]


def test_ridge_probe_matches_scikit_learn(nnprobe, tmp_path):
    checkpoint = str(tmp_path / "mm.h5")
    run(nnprobe, "train", "multi-mult", "--hidden", "16", "--epochs", "3", "--train-size", "1000", "--test-size", "500",
        "--save", checkpoint, "--no-dump")
    report = json.loads(run(nnprobe, "probe", checkpoint, "--alpha", "3", "--baseline", "ridge", "--json").stdout)
    task0 = json.loads(run(nnprobe, "probe", checkpoint, "--alpha", "3", "--task", "task0", "--json").stdout)
    train, test = dumps(nnprobe, checkpoint, tmp_path)
    cases = [(report["layers"][l], train["layers"][l], test["layers"][l], slice(None)) for l in range(len(train["layers"]))]
    cases.append((report["baselines"][0], train["inputs"], test["inputs"], slice(None)))
    cases += [(task0["layers"][l], train["layers"][l], test["layers"][l], slice(0, 1)) for l in range(len(train["layers"]))]
    for entry, x_train, x_test, outputs in cases:
        y_train, y_test = train["targets"][:, outputs], test["targets"][:, outputs]
        model = Ridge(alpha=3.0).fit(x_train, y_train)
        assert abs(entry["score"] - r2_score(y_test, model.predict(x_test))) < 1e-9, entry
        assert abs(entry["train_score"] - r2_score(y_train, model.predict(x_train))) < 1e-9, entry
