"""Shared fixtures: the nnprobe binary and checkpoints it trains into a temporary directory."""
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def nnprobe():
    path = os.environ.get("NNPROBE", os.path.join(ROOT, ".build", "release", "nnprobe"))
    if not os.path.exists(path):
        pytest.fail(f"{path} not built: run `swift build -c release` (make test does)")
    return path


def run(nnprobe, *args, env=None, check=True):
    result = subprocess.run([nnprobe, *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"nnprobe {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


# Trained models covering every layer kind the format describes.
RUNS = {
    "multimult": ["multi-mult", "--hidden", "16", "--epochs", "3"],
    "spirals_bn": ["spirals", "--depth", "3", "--width", "8", "--batch-norm", "--dropout", "0.1",
                   "--epochs", "2", "--train-size", "1000"],
    "multihead": ["regression", "--hidden", "8,8,8", "--multi-head", "--residual", "--activation", "gelu",
                  "--epochs", "2", "--train-size", "1000"],
}


@pytest.fixture(scope="session")
def trained(nnprobe, tmp_path_factory):
    directory = tmp_path_factory.mktemp("runs")
    paths = {}
    for name, args in RUNS.items():
        path = str(directory / f"{name}.h5")
        run(nnprobe, "train", *args, "--save", path)
        paths[name] = path
    return paths
