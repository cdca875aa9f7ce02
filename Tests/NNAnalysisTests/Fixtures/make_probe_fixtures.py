#!/usr/bin/env python3
"""Writes probe_reference.json: small data sets and what scikit-learn fits on them, for nnprobe's
linear probes (NNAnalysis: LogisticRegression, RidgeRegression, ProbeScore).

- Logistic regression: `LogisticRegression(C=C, solver='lbfgs', fit_intercept=True)` (L2, the
  multinomial loss for 3+ classes, the binomial one for 2), fitted to a tight tolerance
  (tol=1e-12; scipy's L-BFGS-B then stops on its relative-reduction test, ftol = 64·eps), and
  beside it the same objective minimised by `solver='newton-cholesky'` (Newton steps: the
  optimum to ~1e-10), stored as `coef_optimum` / `intercept_optimum`. The two agree here to
  1e-4·max(1, |value|) (sklearn's L-BFGS stops up to ~4e-5 short of the optimum at C = 100).
- Ridge: `Ridge(alpha=alpha, fit_intercept=True)` (solver 'auto': Cholesky on dense data),
  checked here against `solver='svd'` to 1e-9.
- Scores: `accuracy_score` and `r2_score` (multioutput='uniform_average') on held-out rows, and
  `r2_score` on a few hand-made cases (a constant target column: sklearn's force_finite rule).

Cases cover 2 and 5 classes, non-contiguous labels, several C and alpha values, multi-output
ridge, and ill-conditioned features (columns scaled over four orders of magnitude plus a nearly
collinear pair).

Run from anywhere: python3 Tests/NNAnalysisTests/Fixtures/make_probe_fixtures.py
"""
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score

rng = np.random.default_rng(20261203)


def blobs(n, p, classes, spread=1.0):
    """Gaussian clusters with overlapping tails (so no class is separable and the optimum is finite)."""
    centres = rng.normal(size=(classes, p)) * 1.5
    labels = rng.integers(0, classes, n)
    x = centres[labels] + spread * rng.normal(size=(n, p))
    return x, labels


def ill_conditioned(x):
    """Columns scaled from 1e-2 to 1e2, and the last column nearly a copy of the first."""
    scales = np.logspace(-2, 2, x.shape[1])
    x = x * scales
    x[:, -1] = x[:, 0] + 1e-4 * rng.normal(size=x.shape[0])
    return x


def logistic_case(name, x, labels, cs, held_out=0.3):
    n_train = int(len(labels) * (1 - held_out))
    xt, yt, xh, yh = x[:n_train], labels[:n_train], x[n_train:], labels[n_train:]
    fits = []
    for c in cs:
        model = LogisticRegression(C=c, solver="lbfgs", tol=1e-12, max_iter=100_000).fit(xt, yt)
        optimum = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(xt, yt)
        # The multinomial intercepts are fixed only up to a common shift (both fits keep Σ b = 0).
        for a, b in ((model.coef_, optimum.coef_), (model.intercept_, optimum.intercept_)):
            assert np.all(np.abs(a - b) <= 1e-4 * np.maximum(1, np.abs(b))), (name, c, np.abs(a - b).max())
        fits.append({
            "C": c,
            "classes": model.classes_.tolist(),
            "coef": model.coef_.tolist(),
            "intercept": model.intercept_.tolist(),
            "coef_optimum": optimum.coef_.tolist(),
            "intercept_optimum": optimum.intercept_.tolist(),
            "decision_function": np.atleast_2d(model.decision_function(xh).T).T.tolist(),
            "predictions": model.predict(xh).tolist(),
            "train_accuracy": accuracy_score(yt, model.predict(xt)),
            "accuracy": accuracy_score(yh, model.predict(xh)),
        })
    return {"name": name, "x_train": xt.tolist(), "y_train": yt.tolist(), "x_test": xh.tolist(), "y_test": yh.tolist(),
            "fits": fits}


def ridge_case(name, x, y, alphas, held_out=0.3):
    n_train = int(len(x) * (1 - held_out))
    xt, yt, xh, yh = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
    fits = []
    for alpha in alphas:
        model = Ridge(alpha=alpha, fit_intercept=True).fit(xt, yt)
        check = Ridge(alpha=alpha, fit_intercept=True, solver="svd").fit(xt, yt)
        assert np.allclose(model.coef_, check.coef_, rtol=1e-9, atol=1e-9), (name, alpha)
        predictions = model.predict(xh)
        fits.append({
            "alpha": alpha,
            "coef": np.atleast_2d(model.coef_).tolist(),
            "intercept": np.atleast_1d(model.intercept_).tolist(),
            "predictions": predictions.reshape(len(xh), -1).tolist(),
            "r2": r2_score(yh, predictions),
            "train_r2": r2_score(yt, model.predict(xt)),
        })
    return {"name": name, "x_train": xt.tolist(), "y_train": yt.reshape(len(xt), -1).tolist(),
            "x_test": xh.tolist(), "y_test": yh.reshape(len(xh), -1).tolist(), "fits": fits}


def logistic_cases():
    cases = []
    x, y = blobs(300, 6, 5)
    cases.append(logistic_case("five_classes", x, y, [0.01, 1.0, 100.0]))
    x, y = blobs(200, 4, 2, spread=1.5)
    cases.append(logistic_case("two_classes", x, y, [0.1, 1.0, 10.0]))
    x, y = blobs(240, 5, 3)
    cases.append(logistic_case("labels_2_5_7", x, np.array([2, 5, 7])[y], [1.0]))
    x, y = blobs(250, 8, 3, spread=1.2)
    cases.append(logistic_case("ill_conditioned", ill_conditioned(x), y, [0.1, 1.0]))
    x, y = blobs(60, 30, 4)     # more features than a third of the rows: the penalty matters
    cases.append(logistic_case("wide", x, y, [0.5]))
    return cases


def ridge_cases():
    cases = []
    x = rng.normal(size=(200, 6))
    y = x @ rng.normal(size=6) + 0.5 + 0.3 * rng.normal(size=200)
    cases.append(ridge_case("one_output", x, y, [0.01, 1.0, 100.0]))
    x = rng.normal(size=(180, 5)) + 2.0
    y = x @ rng.normal(size=(5, 3)) + np.array([1.0, -2.0, 0.0]) + 0.2 * rng.normal(size=(180, 3))
    cases.append(ridge_case("three_outputs", x, y, [0.1, 10.0]))
    x = ill_conditioned(rng.normal(size=(220, 7)))
    y = x[:, :3] @ np.array([1.0, 50.0, -3.0]) + 0.1 * rng.normal(size=220)
    y = np.stack([y, 0.5 * y + rng.normal(size=220)], axis=1)
    cases.append(ridge_case("ill_conditioned", x, y, [1e-3, 1.0]))
    x = rng.normal(size=(40, 25))        # almost as many features as training rows
    y = x @ rng.normal(size=25) + rng.normal(size=40)
    cases.append(ridge_case("wide", x, y, [0.5, 5.0]))
    return cases


def r2_cases():
    true = rng.normal(size=(12, 3))
    pred = true + 0.3 * rng.normal(size=(12, 3))
    constant_true = true.copy()
    constant_true[:, 1] = 2.5                     # SS_tot = 0, SS_res > 0: that output scores 0
    exact_constant = constant_true.copy()
    pred_exact = pred.copy()
    pred_exact[:, 1] = 2.5                        # SS_tot = 0 and SS_res = 0: that output scores 1
    return [{"y_true": t.tolist(), "y_pred": p.tolist(), "r2": r2_score(t, p)}
            for t, p in ((true, pred), (constant_true, pred), (exact_constant, pred_exact), (true[:, :1], pred[:, :1]))]


if __name__ == "__main__":
    import sklearn
    out = {"sklearn": sklearn.__version__, "logistic": logistic_cases(), "ridge": ridge_cases(), "r2": r2_cases()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
