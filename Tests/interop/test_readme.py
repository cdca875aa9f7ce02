"""Every command of the README's "Use" section runs as written, in order, from a copy of the
repository's root: the examples a new user pastes first must work.

`~/mnist` is the one thing a user brings: HOME points at a directory holding small synthetic
MNIST-format IDX files. `model.safetensors` is written here as PyTorch would save an MLP,
`resnet18.safetensors` from torchvision's resnet18 (random weights), `cnn.safetensors` as a
Sequential CNN's state dict and `images.h5` with h5py."""
import json
import os
import re
import shutil
import struct
import subprocess

import h5py
import numpy as np

from conftest import ROOT
from test_import_torch import import_torchvision


def readme_commands():
    """The `nnprobe …` lines of the fenced blocks under "## Use", comments removed, in order."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("\n## Use\n", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command.startswith("nnprobe "):
                commands.append(command)
    return commands


def write_idx(path, array, type_code=0x08):
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, type_code, array.ndim))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


def write_mnist(directory, rng):
    os.makedirs(directory)
    for prefix, n in (("train", 600), ("t10k", 200)):
        labels = rng.integers(0, 10, n)
        images = rng.integers(0, 40, (n, 28, 28))
        for k in range(10):                      # a learnable signal: a bright band per class
            images[labels == k, 2 * k:2 * k + 3, :] += 200
        write_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte"), images)
        write_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte"), labels)


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        data = array.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def test_every_readme_command_runs_as_written(nnprobe, tmp_path):
    commands = readme_commands()
    assert len(commands) >= 20, commands
    work = tmp_path / "repo"
    shutil.copytree(os.path.join(ROOT, "analyses"), work / "analyses",
                    ignore=shutil.ignore_patterns("results"))
    rng = np.random.default_rng(0)
    write_mnist(str(tmp_path / "home" / "mnist"), rng)
    write_safetensors(str(work / "model.safetensors"), {
        "0.weight": rng.normal(size=(16, 4)), "0.bias": rng.normal(size=16),
        "2.weight": rng.normal(size=(2, 16)), "2.bias": rng.normal(size=2)})
    resnet = import_torchvision().models.resnet18(weights=None, num_classes=10).state_dict()
    write_safetensors(str(work / "resnet18.safetensors"), {k: v.numpy() for k, v in resnet.items() if "num_batches" not in k})
    write_safetensors(str(work / "cnn.safetensors"), {
        "0.weight": rng.normal(size=(16, 1, 3, 3)), "0.bias": rng.normal(size=16),
        "1.weight": rng.normal(size=16), "1.bias": rng.normal(size=16), "1.running_mean": rng.normal(size=16),
        "1.running_var": rng.uniform(0.5, 2, size=16), "5.weight": rng.normal(size=(10, 16 * 14 * 14)) / 40,
        "5.bias": rng.normal(size=10)})
    with h5py.File(work / "images.h5", "w") as f:
        f["inputs"] = rng.uniform(size=(5, 1, 28, 28)).astype(np.float32)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(os.path.abspath(nnprobe), bin_dir / "nnprobe")
    env = {**os.environ, "HOME": str(tmp_path / "home"), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for command in commands:
        result = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True,
                                timeout=600, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, f"{command}\nexit {result.returncode}\n{result.stderr[-2000:]}"
    assert (work / "analyses" / "mm.html").exists() and (work / "model.h5").exists() and (work / "resnet18.h5").exists()
    with h5py.File(work / "logits.h5", "r") as f:
        assert f["outputs"].shape == (5, 10)
