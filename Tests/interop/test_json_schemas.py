"""Every subcommand's --json output validates against its documented schema (docs/schemas/)."""
import json
import os

import jsonschema
import pytest

from conftest import ROOT, run

FIXTURES = os.path.join(ROOT, "Tests", "NNAnalysisTests", "Fixtures")
# Documents past their first version: numbers as numbers in a sweep's parameters (issue 15, item 14).
VERSIONS = {"sweep": 2, "summary": 2}


def validate(name, text):
    with open(os.path.join(ROOT, "docs", "schemas", f"{name}.schema.json")) as f:
        schema = json.load(f)
    document = json.loads(text)
    jsonschema.validate(document, schema)
    assert document["schema"] == f"nnprobe.{name}/{VERSIONS.get(name, 1)}"
    return document


@pytest.fixture(scope="module")
def seeds(nnprobe, tmp_path_factory):
    directory = tmp_path_factory.mktemp("seeds")
    for seed in (0, 1):
        run(nnprobe, "train", "multi-mult", "--epochs", "2", "--seed", str(seed), "--no-dump",
            "--save", str(directory / f"s{seed}.h5"))
    return directory


def test_train_and_inspect(nnprobe, trained, tmp_path):
    validate("train", run(nnprobe, "train", "mult", "--epochs", "1", "--json").stdout)
    for path in trained.values():
        validate("inspect", run(nnprobe, "inspect", path, "--json").stdout)
        validate("inspect", run(nnprobe, "inspect", path.replace(".h5", ".acts-test.h5"), "--json").stdout)


def test_analyses_on_one_and_many(nnprobe, trained, seeds):
    for args in ([trained["multimult"]], [str(seeds)]):
        svd = validate("svd", run(nnprobe, "svd", *args, "--vectors", "--json").stdout)
        validate("norms", run(nnprobe, "norms", *args, "--json").stdout)
        validate("grads", run(nnprobe, "grads", *args, "--json").stdout)
        ortho = validate("ortho", run(nnprobe, "ortho", *args, "--json").stdout)
        similarity = validate("similarity", run(nnprobe, "similarity", *args, "--json").stdout)
        ablate = validate("ablate", run(nnprobe, "ablate", *args, "--patch", "--top-k", "2", "--units", "0,1", "--json").stdout)
        assert ("across" in ablate) == (args[0] == str(seeds))
        assert similarity["mode"] == ("nets" if args[0] == str(seeds) else "layers")
        if args[0] == str(seeds):
            assert "distribution" in svd and "across" in ortho
    validate("norms", run(nnprobe, "norms", trained["multihead"], "--json").stdout)
    validate("ortho", run(nnprobe, "ortho", trained["multihead"], "--json").stdout)
    validate("ablate", run(nnprobe, "ablate", trained["multihead"], "--layer", "block0.main.0", "--json").stdout)
    validate("ablate", run(nnprobe, "ablate", trained["spirals_bn"], "--mode", "zero", "--patch", "--json").stdout)
    validate("pca", run(nnprobe, "pca", trained["multimult"], "--vary", "task0", "--json").stdout)
    validate("pca", run(nnprobe, "pca", trained["spirals_bn"], "--json").stdout)
    validate("pca", run(nnprobe, "pca", trained["multimult"].replace(".h5", ".acts-task1.h5"), "--json").stdout)


def test_dump_and_import(nnprobe, trained, tmp_path):
    validate("dump", run(nnprobe, "dump", trained["multimult"], "--vary", "task1", "--out", str(tmp_path / "d.h5"), "--json").stdout)
    validate("import", run(nnprobe, "import", os.path.join(FIXTURES, "mlp_f16.safetensors"), "--out",
                           str(tmp_path / "i.h5"), "--json").stdout)


def test_regions(nnprobe, trained, tmp_path):
    validate("regions", run(nnprobe, "regions", trained["spirals_bn"], "--polygons", "--from=-1,-1", "--to", "1,1", "--json").stdout)
    cnn = str(tmp_path / "cnn.h5")
    run(nnprobe, "train", "fashion-mnist", "--arch", "cnn", "--channels", "2", "--fc", "4", "--train-size", "100",
        "--val-size", "20", "--test-size", "10", "--epochs", "1", "--no-dump", "--save", cnn)
    conv = validate("regions", run(nnprobe, "regions", cnn, "--images", "0,1,2", "--box", "0,0.01,0,0.01", "--polygons",
                                   "--json").stdout)
    assert [layer["kind"] for layer in conv["pattern_layers"]] == ["relu", "max_pool", "relu"]


def test_sweep_index_and_summary(nnprobe, tmp_path):
    directory = tmp_path / "sweep"
    index = validate("sweep", run(nnprobe, "train", "mult", "--seeds", "0..2", "--lr", "0.01,0.001", "--epochs", "1",
                                  "--train-size", "200", "--save", str(directory), "--json").stdout)
    assert len(index["runs"]) == 6 and index["axes"] == ["lr", "seed"]
    assert sorted({r["parameters"]["lr"] for r in index["runs"]}) == [0.001, 0.01]      # numbers, not text
    assert sorted(r["parameters"]["seed"] for r in index["runs"]) == [0, 0, 1, 1, 2, 2]
    with open(directory / "index.json") as f:
        assert json.load(f)["runs"] == index["runs"]
    summary = validate("summary", run(nnprobe, "summary", str(directory), "--json").stdout)
    assert [g["runs"] for g in summary["groups"]] == [3, 3]
    assert [g["parameters"]["lr"] for g in summary["groups"]] == [0.001, 0.01] and summary["best"]["lr"] in (0.001, 0.01)


def test_timelines_over_snapshots(nnprobe, tmp_path):
    run(nnprobe, "train", "multi-mult", "--epochs", "4", "--save", str(tmp_path / "r.h5"), "--save-every", "2", "--no-dump")
    pattern = str(tmp_path / "r.epoch-*.h5")
    svd = validate("svd", run(nnprobe, "svd", pattern, "--json").stdout)
    assert svd["timeline"]["epochs"] == [2, 4] and len(svd["timeline"]["series"]["layer_0 stable_rank"]) == 2
    norms = validate("norms", run(nnprobe, "norms", pattern, "--json").stdout)
    assert norms["timeline"]["epochs"] == [2, 4]
    ortho = validate("ortho", run(nnprobe, "ortho", pattern, "--json").stdout)
    assert list(ortho["timeline"]["series"]) == ["layer_1 task0·task1 cos"]


def test_errors_over_many_files(nnprobe, seeds, tmp_path):
    """A damaged file among good ones: the document validates, with an `errors` entry naming it."""
    directory = tmp_path / "mixed"
    directory.mkdir()
    for path in sorted(seeds.glob("*.h5")):
        (directory / path.name).write_bytes(path.read_bytes())
    (directory / "zz-truncated.h5").write_bytes((seeds / "s0.h5").read_bytes()[:3000])
    for name in ("svd", "norms", "grads", "ortho", "inspect", "similarity"):
        result = run(nnprobe, name, str(directory), "--json", check=False)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        document = validate(name, result.stdout)
        assert [e["file"] for e in document["errors"]] == [str(directory / "zz-truncated.h5")]
        assert len(document["files"]) == 2


def test_probe(nnprobe, trained):
    probe = validate("probe", run(nnprobe, "probe", trained["spirals_bn"], "--baseline", "all", "--json").stdout)
    assert probe["kind"] == "classification" and [b["method"] for b in probe["baselines"]] == ["logistic", "xgboost"]
    probe = validate("probe", run(nnprobe, "probe", trained["multimult"], "--task", "task1", "--pre", "--json").stdout)
    assert probe["subtask"] == "task1" and probe["settings"]["xgboost"] is None
    validate("probe", run(nnprobe, "probe", trained["multihead"], "--baseline", "xgboost", "--held-out", "val", "--json").stdout)
