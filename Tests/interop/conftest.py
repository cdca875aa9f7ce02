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

FASHION = "/usr/share/datasets/fashion-mnist"


def train_runs(nnprobe, directory, runs):
    """Trains each of `runs` (name → `train` arguments) into DIRECTORY/NAME.h5 on Debian's
    Fashion-MNIST files; returns name → path."""
    if not os.path.isdir(FASHION):
        pytest.fail(f"{FASHION} missing: make test installs Debian's dataset-fashion-mnist")
    paths = {}
    for name, args in runs.items():
        paths[name] = str(directory / f"{name}.h5")
        run(nnprobe, "train", *args, "--save", paths[name])
    return paths


def read_terminal(master):
    """Everything written to a pseudo-terminal until its other side closes."""
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:   # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


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
