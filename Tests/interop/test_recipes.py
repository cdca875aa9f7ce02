"""Each recipe in analyses/ runs end to end at a reduced size (--quick: 2 seeds, 3 epochs,
2,000 rows) and its study's qualitative claim holds on what it produced."""
import json
import os

import pytest

from conftest import ROOT, run


def recipe(nnprobe, tmp_path, name, *extra):
    out = tmp_path / name
    run(nnprobe, "run", os.path.join(ROOT, "analyses", f"{name}.yaml"), "--quick", "--out", str(out), *extra)
    return out


def step_json(out, number):
    return json.loads((out / f"step-{number}.txt").read_text())


def group(summary, **parameters):
    return next(g for g in summary["groups"] if all(g["parameters"][k] == v for k, v in parameters.items()))


def test_multihead_head_norms_are_comparable(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "01-multihead")
    norms = step_json(out, 6)
    for f in norms["files"]:
        heads = [e["frobenius_norm"] for e in f["entries"] if e["kind"] == "head"]
        assert len(heads) == 4 and max(heads) / min(heads) < 3


def test_learning_rate_flat_lines_have_their_causes(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "02-learning-rate")
    summary = step_json(out, 3)
    high, good, tiny = group(summary, lr=1), group(summary, lr=0.001), group(summary, lr=1e-05)
    assert high["dead_units"]["mean"] > good["dead_units"]["mean"] + 0.1        # dead units at lr = 1
    moved = lambda g: abs(g["first_val_loss"]["mean"] - g["final_val_loss"]["mean"]) / g["first_val_loss"]["mean"]
    assert moved(tiny) < 0.05 and moved(tiny) < moved(good) / 5                 # (almost) no movement at 1e-5


def test_batch_size_sets_the_iterations_per_epoch(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "03-batchnorm-batchsize")
    summary = step_json(out, 7)
    steps = {g["parameters"]["batch-size"]: g["steps_per_epoch"] for g in summary["groups"]}
    assert steps == {1: 2000, 16: 125, 128: 16, 1024: 2}


def test_depth_multiplies_linear_regions_within_the_bounds(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "04-depth-width")
    shallow, deep = step_json(out, 7), step_json(out, 8)
    assert shallow["n_regions"] <= shallow["bounds_slice"]["hyperplane_arrangement"] == 137
    assert deep["n_regions"] > shallow["n_regions"]
    assert deep["n_regions"] <= deep["bounds_slice"]["serra"]
    assert deep["grid"]["distinct_patterns"] <= deep["n_regions"]


def test_deep_plain_nets_vanish_and_residual_ones_do_not(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "05-gradient-flow")
    def first_layer(document, depth):
        f = next(f for f in document["files"] if any(t["name"] == f"layer_{depth}.weight" for t in f["tensors"]))
        return next(t for t in f["tensors"] if t["name"] == "layer_0.weight")
    assert "vanishing" in first_layer(step_json(out, 7), 60)["flags"]
    assert "vanishing" not in first_layer(step_json(out, 8), 60)["flags"]


def test_dropout_transfer_and_distillation_run(nnprobe, tmp_path):
    out = recipe(nnprobe, tmp_path, "06-seeds-dropout-transfer-distillation")
    summary = step_json(out, 12)
    assert [g["parameters"]["dropout"] for g in summary["groups"]] == [0, 0.2, 0.4, 0.6, 0.8]
    assert all(g["diverged"] == 0 for g in summary["groups"])
    distilled = json.loads((out / "distilled" / "index.json").read_text())
    assert sorted({r["parameters"]["alpha"] for r in distilled["runs"]}) == [0.7, 0.8, 0.9]
    index = json.loads((out / "transfer" / "index.json").read_text())
    assert len(index["runs"]) == 2 and all(r["status"] == "ok" for r in index["runs"])


def test_multi_mult_read_outs_are_near_orthogonal(nnprobe, tmp_path):
    # Orthogonal read-outs need a trained net: more epochs and rows than --quick alone gives.
    out = recipe(nnprobe, tmp_path, "07-multi-mult", "--set", "epochs=15", "--set", "train-size=4000")
    ortho = step_json(out, 5)
    assert ortho["across"]["count"] == 2 and ortho["across"]["abs_cosine"]["median"] < 0.3
    pca = step_json(out, 9)
    assert pca["layers"][0]["n_components_90"] <= 4
    assert pca["principal_angles"][0]["angles_degrees"][0] > 30
    # Ablation over the seeds: both roles for every unit, the distribution of their agreement.
    sweep = (out / "step-11.txt").read_text()
    assert "across 2 checkpoints:" in sweep and "agreement share:" in sweep and "weights \\ causal" in sweep
    ablate = step_json(out, 12)
    assert len(ablate["files"][0]["units"]) == 16 and ablate["files"][0]["agreement"]["compared"] == 16
    # Patching each task's top-3 subspace moves that task's output, not the other's; so do the units
    # only one task relies on, where this short training left any.
    patches = {p["label"]: p["task_relative_change"] for p in ablate["files"][0]["patching"]["patches"]}
    assert patches["task0 top-3"][0] > 10 * patches["task0 top-3"][1]
    assert patches["task1 top-3"][1] > 10 * patches["task1 top-3"][0]
    for task in (0, 1):
        if f"task{task}-only units" in patches:
            assert patches[f"task{task}-only units"][task] > patches[f"task{task}-only units"][1 - task]


def test_conv_studies_train_cnns_and_resnets_with_stage_heads(nnprobe, tmp_path):
    """Studies 000, 002 and 004's conv parts on real Fashion-MNIST: the small CNN learns at every
    dropout rate, and the frozen backbone's stage heads are one read-out per stage (four)."""
    out = recipe(nnprobe, tmp_path, "08-conv-nets")
    summary = step_json(out, 22)
    assert sorted(g["parameters"]["dropout"] for g in summary["groups"]) == [0, 0.3, 0.6]
    assert all(g["test_accuracy"]["mean"] > 0.5 for g in summary["groups"])   # chance is 0.1
    norms = step_json(out, 23)
    heads = [e for f in norms["files"] for e in f["entries"] if e["kind"] == "head"]
    assert [e["name"] for e in heads] == ["head0.1", "head1.1", "head2.1", "head3.1"]
    assert all(0 < e["frobenius_norm"] < 100 for e in heads)


def test_transfer_study_ranks_nets_and_probes_on_the_held_back_classes(nnprobe, tmp_path):
    """Study 001's transfer comparison: a CNN trained on classes 0-4, then on classes 5-9 from
    scratch, as a linear probe (frozen backbone), fully fine-tuned, each at five learning rates,
    against logistic regression and XGBoost on the pixels and on the backbone's features: one
    ranking of them all, the best two per method and the worst overall."""
    from test_json_schemas import validate
    out = recipe(nnprobe, tmp_path, "09-transfer-study")
    logistic, trees = step_json(out, 5), step_json(out, 6)
    for probe in (logistic, trees):
        assert probe["class_subset"] == [5, 6, 7, 8, 9] and probe["n_train"] == 2000
    assert [e["name"] for e in logistic["layers"] + logistic["baselines"]] == ["block2", "inputs"]
    assert [(e["name"], e["method"]) for e in trees["layers"] + trees["baselines"]] == [("block2", "xgboost"), ("inputs", "xgboost")]
    ranked = validate("rank", (out / "step-8.txt").read_text())
    models = ranked["ranking"]
    assert len(models) == 3 * 5 * 2 + 2 + 2                        # --quick: 2 seeds per learning rate
    scores = [m["test_accuracy"] for m in models]
    assert [m["rank"] for m in models] == list(range(1, len(models) + 1)) and scores == sorted(scores, reverse=True)
    assert [g["method"] for g in ranked["best_per_method"]] == ["scratch", "linear-probe", "finetune", "logistic-probe", "xgboost"]
    assert all(len(g["models"]) == 2 for g in ranked["best_per_method"]) and ranked["worst"] == models[-1]
    # Every method learns the new classes (chance is 0.2); the frozen backbone's features carry them linearly.
    assert all(g["models"][0]["test_accuracy"] > 0.6 for g in ranked["best_per_method"])
    assert next(m for m in models if m["model"] == "logistic on block2")["test_accuracy"] > 0.7
    assert "worst overall:" in (out / "step-7.txt").read_text()
