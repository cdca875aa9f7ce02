"""`nnprobe import` of PyTorch conv nets: torchvision's resnet18 and a resnet34-shaped model
built here with random weights and random batch-norm statistics (nothing downloads), and
small nn.Sequential CNNs, saved with safetensors' own writer. The imported model's outputs
(`nnprobe predict`, nnprobe's engine) and an independent numpy forward pass over the h5py-read
format-2 checkpoint (test_conv_checkpoint.forward) both match PyTorch's eval-mode outputs on the
same inputs to 1e-4."""
import json
import sys
import types

import h5py
import numpy as np
import pytest
import torch
from safetensors.torch import save_file
from torch import nn

from conftest import run
from test_conv_checkpoint import forward
from test_json_schemas import validate

TOLERANCE = 1e-4


def import_torchvision():
    """torchvision's models. PyPI's Linux torchvision is built against CUDA torch: beside the CPU
    torch its C++ detection ops (nms, roi_align) do not load, and torchvision 0.28's import then
    stops registering their fake kernels. The models use none of them, so on that failure only
    those registrations are skipped."""
    try:
        import torchvision
    except RuntimeError as error:
        if "torchvision::" not in str(error):
            raise
        for name in [n for n in sys.modules if n == "torchvision" or n.startswith("torchvision.")]:
            del sys.modules[name]
        for name in ("torchvision._meta_registrations", "torchvision._autograd_registrations"):
            sys.modules[name] = types.ModuleType(name)
        import torchvision
    return torchvision


def randomise(model, seed):
    """Random weights (PyTorch's own initialisation, seeded) and random batch-norm parameters and
    running statistics, so that an import that dropped or swapped any of them would show."""
    torch.manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            module.reset_parameters()
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.2)
                module.running_mean.normal_(0, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
    return model.eval()


def compare(nnprobe, tmp_path, model, input_shape, import_args, seed=0, batch=6):
    """Imports `model` (saved with safetensors) and returns the largest |difference| of nnprobe's
    predictions and of the numpy forward pass from torch's outputs, and the checkpoint path."""
    source, checkpoint = str(tmp_path / "model.safetensors"), str(tmp_path / "model.h5")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, source)
    report = validate("import", run(nnprobe, "import", source, "--out", checkpoint, *import_args, "--json").stdout)
    assert report["input_shape"] == list(input_shape) and report["format"] == 2
    assert report["parameter_count"] == sum(p.numel() for p in model.parameters())
    x = np.random.default_rng(seed).standard_normal((batch, *input_shape)).astype(np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy().astype(np.float64)
    inputs, outputs = str(tmp_path / "inputs.h5"), str(tmp_path / "outputs.h5")
    with h5py.File(inputs, "w") as f:
        f["inputs"] = x
    predicted = validate("predict", run(nnprobe, "predict", checkpoint, "--inputs", inputs, "--out", outputs, "--json").stdout)
    assert predicted["n_samples"] == batch and predicted["output_width"] == expected.shape[1]
    with h5py.File(outputs, "r") as f:
        ours = f["outputs"][()].astype(np.float64)
    with h5py.File(checkpoint, "r") as f:
        assert f.attrs["format_version"] == 2
        numpy = forward(f, x.astype(np.float64))
    assert ours.shape == expected.shape == numpy.shape
    return np.abs(ours - expected).max(), np.abs(numpy - expected).max(), checkpoint


def test_torchvision_resnet18_matches_torch(nnprobe, tmp_path):
    torchvision = import_torchvision()
    model = randomise(torchvision.models.resnet18(weights=None, num_classes=10), seed=1)
    engine, numpy, checkpoint = compare(nnprobe, tmp_path, model, (3, 32, 32), ["--input-shape", "3,32,32"])
    print(f"resnet18 3x32x32: max |nnprobe - torch| = {engine:.2e}, max |numpy - torch| = {numpy:.2e}")
    assert engine < TOLERANCE and numpy < TOLERANCE
    with h5py.File(checkpoint, "r") as f:
        stack = json.loads(f["model"].attrs["stack"])
        # Stem, 2 + 2 + 2 + 2 BasicBlocks, read-out; projection shortcuts on the first block of stages 2-4.
        assert len(stack["blocks"]) == 10
        assert [len(b["shortcut"]) > 0 for b in stack["blocks"][1:9]] == [False, False, True, False, True, False, True, False]
        assert stack["blocks"][0]["main"][3] == {"op": "max_pool", "kernel": 3, "stride": 2, "padding": 1}


def test_resnet34_shape_at_an_odd_input_size_matches_torch(nnprobe, tmp_path):
    torchvision = import_torchvision()
    model = randomise(torchvision.models.resnet34(weights=None, num_classes=7), seed=2)
    # 3×45×37: odd sizes exercise the padded max-pool and stride-2 rounding as torch does them.
    engine, numpy, _ = compare(nnprobe, tmp_path, model, (3, 45, 37), ["--input-shape", "3,45,37"], batch=3)
    print(f"resnet34 3x45x37: max |nnprobe - torch| = {engine:.2e}, max |numpy - torch| = {numpy:.2e}")
    assert engine < TOLERANCE and numpy < TOLERANCE


def small_cnn():
    # A max-pool with padding straight after a conv (no ReLU), so its padding must act as −∞, not 0.
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.MaxPool2d(3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(8, 12, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(12), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(12 * 2 * 2, 20), nn.BatchNorm1d(20), nn.GELU(), nn.Dropout(0.3), nn.Linear(20, 5))


SMALL_CNN_LAYERS = ("conv2d:8:3:1:1,batchnorm,maxpool:3:2:1,relu,conv2d:12:3:2:1,batchnorm,tanh,avgpool:2,"
                    "flatten,linear:20,batchnorm,gelu,dropout:0.3,linear:5")


def test_a_sequential_cnn_matches_torch(nnprobe, tmp_path):
    model = randomise(small_cnn(), seed=3)
    engine, numpy, checkpoint = compare(nnprobe, tmp_path, model, (3, 15, 16),
                                        ["--layers", SMALL_CNN_LAYERS, "--input-shape", "3,15,16"])
    print(f"Sequential CNN 3x15x16: max |nnprobe - torch| = {engine:.2e}, max |numpy - torch| = {numpy:.2e}")
    assert engine < TOLERANCE and numpy < TOLERANCE
    with h5py.File(checkpoint, "r") as f:
        assert "bias" in f["model/layers/block0.main.0"] and "bias" not in f["model/layers/block1.main.0"]


def test_pytorch_module_names_and_global_pooling_read(nnprobe, tmp_path):
    model = randomise(nn.Sequential(nn.Conv2d(1, 4, 5, stride=2), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3)), seed=4)
    engine, numpy, _ = compare(nnprobe, tmp_path, model, (1, 28, 28),
                               ["--layers", "Conv2d:4:5:2, BatchNorm2d, ReLU, MaxPool2d:2, globalavgpool, Linear:3",
                                "--input-shape", "1,28,28"])
    assert engine < TOLERANCE and numpy < TOLERANCE


@pytest.mark.parametrize("layers, problem", [
    (SMALL_CNN_LAYERS.replace("conv2d:12", "conv2d:10"), "tensor '4.weight' has shape [12, 8, 3, 3]; block1.main.0 (conv2d on 8×8×8) needs [10, 8, 3, 3]"),
    (SMALL_CNN_LAYERS.rsplit(",", 1)[0], "tensor '13.bias' has no layer in --layers to go to"),
    (SMALL_CNN_LAYERS + ",linear:5", "no tensors for --layers item 15 'linear:5'"),
])
def test_a_sequential_that_does_not_fit_is_one_line(nnprobe, tmp_path, layers, problem):
    source = str(tmp_path / "cnn.safetensors")
    save_file(randomise(small_cnn(), seed=5).state_dict(), source)
    result = run(nnprobe, "import", source, "--layers", layers, "--input-shape", "3,15,16", "--out", str(tmp_path / "x.h5"), check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert f"{source}: {problem}" in result.stderr, result.stderr


def test_an_imported_cnn_is_a_frozen_backbone_for_a_new_task(nnprobe, tmp_path):
    """An imported net (which no --arch family describes) starts a transfer run: its own layers,
    the read-out re-sized for Fashion-MNIST's 10 classes, the backbone frozen."""
    model = randomise(nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                    nn.Flatten(), nn.Linear(4 * 14 * 14, 7)), seed=4)
    source, imported, probe = str(tmp_path / "s.safetensors"), str(tmp_path / "imported.h5"), str(tmp_path / "probe.h5")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, source)
    run(nnprobe, "import", source, "--layers", "conv2d:4:3:1:1,batchnorm,relu,maxpool:2,flatten,linear:7",
        "--input-shape", "1,28,28", "--out", imported)
    run(nnprobe, "train", "fashion-mnist", "--init-from", imported, "--freeze", "backbone", "--train-size", "300",
        "--val-size", "50", "--test-size", "50", "--epochs", "1", "--save", probe)
    with h5py.File(imported, "r") as a, h5py.File(probe, "r") as b:
        conv = "model/layers/block0.main.0/weight"
        assert np.array_equal(a[conv][()], b[conv][()])
        read_out = [name for name in b["model/layers"] if name.startswith("block1.")][-1]
        assert b[f"model/layers/{read_out}/weight"].shape == (10, 4 * 14 * 14)
