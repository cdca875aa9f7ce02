#!/usr/bin/env python3
"""Writes xgboost_reference.json: small data sets (float32) and the predictions of the Python
`xgboost` package for the settings nnprobe's GradientBoostedTrees uses, so the tests can check
nnprobe's calls into Debian's libxgboost (1.7.4) without Python's xgboost installed.

Needs xgboost 1.7.4, the version of Debian's libxgboost-dev (only to regenerate the fixture):

    python3 -m venv --system-site-packages /tmp/xgb && /tmp/xgb/bin/pip install xgboost==1.7.4
    /tmp/xgb/bin/python Tests/NNBaselinesTests/Fixtures/make_xgboost_fixtures.py

Each case is trained with the native API, `xgb.train(params, DMatrix(x, label=y), n_estimators)`,
params = objective (`multi:softprob` + num_class, `binary:logistic`, or `reg:squarederror`),
tree_method=hist, max_depth, eta, seed, nthread=1 — what `XGBClassifier`/`XGBRegressor` pass for
the same n_estimators, max_depth, learning_rate, random_state and n_jobs=1.
"""
import json
import os

import numpy as np
import xgboost as xgb
from sklearn.metrics import accuracy_score, r2_score

assert xgb.__version__ == "1.7.4", f"xgboost {xgb.__version__}: the fixture is made with 1.7.4 (Debian's libxgboost-dev)"
rng = np.random.default_rng(20261204)


def params(objective, settings, classes=None):
    p = {"objective": objective, "tree_method": "hist", "max_depth": settings["max_depth"],
         "eta": settings["learning_rate"], "seed": settings["seed"], "nthread": 1, "verbosity": 0}
    if classes:
        p["num_class"] = classes
    return p


def classification(name, n, p, classes, settings):
    centres = rng.normal(size=(classes, p)).astype(np.float32) * 1.5
    labels = rng.integers(0, classes, n)
    x = (centres[labels] + rng.normal(size=(n, p))).astype(np.float32)
    n_train = int(0.7 * n)
    objective = "binary:logistic" if classes == 2 else "multi:softprob"
    booster = xgb.train(params(objective, settings, None if classes == 2 else classes),
                        xgb.DMatrix(x[:n_train], label=labels[:n_train]), settings["n_estimators"])
    probabilities = booster.predict(xgb.DMatrix(x[n_train:]), strict_shape=True)
    if classes == 2:
        probabilities = np.concatenate([1 - probabilities, probabilities], axis=1)
    predicted = probabilities.argmax(1)
    return {"name": name, "kind": "classifier", "settings": settings, "x_train": x[:n_train].tolist(),
            "y_train": labels[:n_train].tolist(), "x_test": x[n_train:].tolist(), "y_test": labels[n_train:].tolist(),
            "predictions": probabilities.astype(np.float64).tolist(), "accuracy": accuracy_score(labels[n_train:], predicted)}


def regression(name, n, p, outputs, settings):
    x = rng.normal(size=(n, p)).astype(np.float32)
    y = np.stack([np.sin(2 * x[:, k % p]) + 0.5 * x[:, (k + 1) % p] ** 2 for k in range(outputs)], axis=1)
    y = (y + 0.1 * rng.normal(size=y.shape)).astype(np.float32)
    n_train = int(0.7 * n)
    booster = xgb.train(params("reg:squarederror", settings), xgb.DMatrix(x[:n_train], label=y[:n_train]),
                        settings["n_estimators"])
    predictions = booster.predict(xgb.DMatrix(x[n_train:]), strict_shape=True)
    return {"name": name, "kind": "regressor", "settings": settings, "x_train": x[:n_train].tolist(),
            "y_train": y[:n_train].tolist(), "x_test": x[n_train:].tolist(), "y_test": y[n_train:].tolist(),
            "predictions": predictions.astype(np.float64).tolist(), "r2": r2_score(y[n_train:], predictions)}


if __name__ == "__main__":
    settings = {"n_estimators": 20, "max_depth": 3, "learning_rate": 0.3, "seed": 0}
    cases = [
        classification("three_classes", 400, 5, 3, settings),
        classification("two_classes", 300, 4, 2, {**settings, "max_depth": 2, "learning_rate": 0.1}),
        classification("five_classes_deep", 500, 8, 5, {**settings, "n_estimators": 30, "max_depth": 6}),
        regression("one_output", 300, 4, 1, settings),
        regression("two_outputs", 300, 4, 2, {**settings, "n_estimators": 40, "learning_rate": 0.2}),
    ]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xgboost_reference.json")
    with open(path, "w") as f:
        json.dump({"xgboost": xgb.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
