#!/usr/bin/env python3
"""JAX peer of an nnprobe sweep, written as one who knows JAX trains many small models: one
model's epoch (lax.scan over its batches, Adam by hand), vmapped over the models and jitted, so
each epoch is one compiled call for the whole sweep. XLA's CPU client picks its own thread count.

Usage: peer_jax_vmap.py CASE SEEDS OUTDIR   (CASE from sweep_cases.py)
Trains SEEDS seeds (× the case's learning rates), writes each model's weights to
OUTDIR/model-I.npz, and prints one JSON line with the mean final validation loss."""
import json
import math
import os
import sys

import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_cases import BATCH, CASES, model_data  # noqa: E402

EPS_BN, MOMENTUM_BN = 1e-5, 0.1
BETA1, BETA2, EPS_ADAM = 0.9, 0.999, 1e-8


def init(key, case):
    """One model: nn.Linear's default U(±1/√fan_in) weights and biases; γ = 1, β = 0."""
    c = CASES[case]
    widths = [c["inputs"], *c["hidden"], c["outputs"]]
    params = {"W": [], "b": [], "gamma": [], "beta": []}
    for fan_in, fan_out in zip(widths, widths[1:]):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1 / math.sqrt(fan_in)
        params["W"].append(jax.random.uniform(kw, (fan_in, fan_out), minval=-bound, maxval=bound))
        params["b"].append(jax.random.uniform(kb, (fan_out,), minval=-bound, maxval=bound))
    if c["batch_norm"]:
        params["gamma"] = [jnp.ones(w) for w in c["hidden"]]
        params["beta"] = [jnp.zeros(w) for w in c["hidden"]]
    state = {"mean": [jnp.zeros(w) for w in c["hidden"]], "var": [jnp.ones(w) for w in c["hidden"]]}
    return params, state


def forward(case, params, state, x, train):
    """x (B, in) → outputs (B, out), and the batch-norm running statistics after this batch."""
    batch_norm = CASES[case]["batch_norm"]
    h = x
    means, variances = [], []
    last = len(params["W"]) - 1
    for l, (W, b) in enumerate(zip(params["W"], params["b"])):
        h = h @ W + b
        if l == last:
            break
        if batch_norm:
            if train:
                mean, var = h.mean(0), h.var(0)
                n = h.shape[0]
                means.append((1 - MOMENTUM_BN) * state["mean"][l] + MOMENTUM_BN * mean)
                variances.append((1 - MOMENTUM_BN) * state["var"][l] + MOMENTUM_BN * var * n / max(n - 1, 1))
            else:
                mean, var = state["mean"][l], state["var"][l]
            h = (h - mean) * lax.rsqrt(var + EPS_BN) * params["gamma"][l] + params["beta"][l]
        h = jax.nn.relu(h)
    new_state = {"mean": means, "var": variances} if batch_norm and train else state
    return h, new_state


def loss(case, out, y):
    if CASES[case]["loss"] == "mse":
        return jnp.mean((out - y) ** 2)
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(out), y[:, None], axis=1))


def make_epoch(case, n):
    """One model's epoch: shuffle, full batches through lax.scan, then the last partial batch."""
    full, rest = divmod(n, BATCH)

    def step(carry, idx, x, y, lr):
        params, state, m, v, t = carry
        def objective(p):
            out, new_state = forward(case, p, state, x[idx], True)
            return loss(case, out, y[idx]), new_state
        (_, new_state), grads = jax.value_and_grad(objective, has_aux=True)(params)
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: BETA1 * m + (1 - BETA1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: BETA2 * v + (1 - BETA2) * g * g, v, grads)
        scale = lr * jnp.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
        params = jax.tree_util.tree_map(lambda p, m, v: p - scale * m / (jnp.sqrt(v) + EPS_ADAM * jnp.sqrt(1 - BETA2 ** t)),
                                        params, m, v)
        return (params, new_state, m, v, t)

    def epoch(carry, key, x, y, train_idx, lr):
        order = jax.random.permutation(key, train_idx)
        carry, _ = lax.scan(lambda c, idx: (step(c, idx, x, y, lr), None), carry, order[:full * BATCH].reshape(full, BATCH))
        if rest:
            carry = step(carry, order[full * BATCH:], x, y, lr)
        return carry
    return epoch


def main(case, seeds, outdir):
    c = CASES[case]
    models = seeds * len(c["lrs"])
    x, y, (train_idx, val_idx, test_idx), lrs = model_data(case, models)
    shared = x.ndim == 2
    x, y = jnp.asarray(x), jnp.asarray(y)
    data_axis = None if shared else 0
    keys = jax.random.split(jax.random.PRNGKey(0), models)
    params, state = jax.vmap(lambda k: init(k, case))(keys)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    carry = (params, state, zeros, zeros, jnp.zeros(models, dtype=jnp.int32))
    epoch = jax.jit(jax.vmap(make_epoch(case, train_idx.shape[1]), in_axes=(0, 0, data_axis, data_axis, 0, 0)))

    def evaluate(params, state, x, y, idx):
        out, _ = forward(case, params, state, x[idx], False)
        return loss(case, out, y[idx])
    evaluate = jax.jit(jax.vmap(evaluate, in_axes=(0, 0, data_axis, data_axis, 0)))
    train_idx, val_idx, test_idx = (jnp.asarray(np.ascontiguousarray(i)) for i in (train_idx, val_idx, test_idx))
    lrs = jnp.asarray(lrs)
    val = None
    for e in range(c["epochs"]):
        carry = epoch(carry, jax.vmap(lambda k: jax.random.fold_in(k, e))(keys), x, y, train_idx, lrs)
        val = evaluate(carry[0], carry[1], x, y, val_idx)
    evaluate(carry[0], carry[1], x, y, test_idx).block_until_ready()
    os.makedirs(outdir, exist_ok=True)
    leaves = {f"{group}{l}": np.asarray(t) for tree in (carry[0], carry[1]) for group, ts in tree.items() for l, t in enumerate(ts)}
    for i in range(models):
        np.savez(os.path.join(outdir, f"model-{i}.npz"), **{k: v[i] for k, v in leaves.items()})
    print(json.dumps({"val_loss": float(np.mean(np.asarray(val))), "models": models, "steps": int(carry[4][0])}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
