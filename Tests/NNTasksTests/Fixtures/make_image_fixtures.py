#!/usr/bin/env python3
"""Reference data for Tests/NNTasksTests/CIFARReaderTests.swift and ImageAugmentationTests.swift.

Run once by a developer, output committed (needs only numpy):

    python3 Tests/NNTasksTests/Fixtures/make_image_fixtures.py

1. Small CIFAR files in the binary format as distributed, in the folders the tarballs unpack to:
   cifar-10-batches-bin/ (data_batch_1..5.bin with one record each, test_batch.bin with two;
   records: 1 label byte + 3072 pixel bytes, channel-major R, G, B, each row-major) and
   cifar-100-binary/ (train.bin with six records, test.bin with two; records: coarse label byte,
   fine label byte, 3072 pixel bytes). The channels have different distributions, so their
   statistics differ. Every training record has its own label, so a test can tell which record
   a task held out for validation.

2. cifar_reference.json: numpy's per-channel mean and std (population, ddof = 0) of the pixels
   scaled to [0, 1], over all training records and over all training records but one (the
   training split when that one is the validation split), keyed by the held-out record's label;
   with, for each, test image 0 normalised, (x - mean) / std, at a few (c, y, x) positions.

3. augmentation_reference.json: torchvision's RandomCrop(size, padding=p) + RandomHorizontalFlip()
   for explicit draws, computed directly: np.pad with zeros (the usual pipeline pads before
   Normalize, in [0, 1] space, where 0 is the byte 0), the window [p + dy : p + dy + H,
   p + dx : p + dx + W], then [..., ::-1] when flipped. Images are bytes in 1..255, so a pad
   pixel (0) is told apart from every image pixel. Byte arrays are base64.
"""
import base64
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(20250612)


def images(n):
    """n images (n, 3, 32, 32) of bytes; red uniform, green dark, blue bright."""
    red = rng.integers(0, 256, (n, 1, 32, 32))
    green = rng.integers(0, 100, (n, 1, 32, 32))
    blue = rng.integers(120, 256, (n, 1, 32, 32))
    return np.concatenate([red, green, blue], axis=1).astype(np.uint8)


def write(path, label_columns, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    records = np.concatenate([np.stack(label_columns, axis=1).astype(np.uint8), pixels.reshape(len(pixels), -1)], axis=1)
    path.write_bytes(records.tobytes())


def statistics(pixels):
    x = pixels.astype(np.float64) / 255
    return x.mean(axis=(0, 2, 3)), x.std(axis=(0, 2, 3))


POSITIONS = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 5, 7), (2, 31, 30), (2, 17, 3)]


def reference(train_pixels, train_labels, test_pixels):
    mean, std = statistics(train_pixels)
    out = {"all": {"mean": mean.tolist(), "std": std.tolist()}, "held_out": {}}
    for k, label in enumerate(train_labels):
        mean, std = statistics(np.delete(train_pixels, k, axis=0))
        x = (test_pixels[0].astype(np.float64) / 255 - mean[:, None, None]) / std[:, None, None]
        out["held_out"][str(int(label))] = {
            "mean": mean.tolist(), "std": std.tolist(),
            "test0": [{"c": c, "y": y, "x": xx, "value": float(np.float32(x[c, y, xx]))} for c, y, xx in POSITIONS],
        }
    return out


def cifar10():
    folder = HERE / "cifar-10-batches-bin"
    labels = rng.permutation(10)[:5]
    train = images(5)
    for k in range(5):
        write(folder / f"data_batch_{k + 1}.bin", [labels[k:k + 1]], train[k:k + 1])
    test, test_labels = images(2), rng.integers(0, 10, 2)
    write(folder / "test_batch.bin", [test_labels], test)
    return reference(train, labels, test) | {"test_labels": test_labels.tolist()}


def cifar100():
    folder = HERE / "cifar-100-binary"
    fine = rng.permutation(100)[:6]
    train = images(6)
    write(folder / "train.bin", [fine // 5, fine], train)
    test, test_fine = images(2), rng.integers(0, 100, 2)
    write(folder / "test.bin", [test_fine // 5, test_fine], test)
    return reference(train, fine, test) | {"test_labels": test_fine.tolist()}


def augmented(image, padding, dy, dx, flip):
    padded = np.pad(image, ((0, 0), (padding, padding), (padding, padding)), constant_values=0)
    _, h, w = image.shape
    window = padded[:, padding + dy:padding + dy + h, padding + dx:padding + dx + w]
    return window[..., ::-1] if flip else window


def augmentation_case(shape, padding, n_images, draws):
    batch = rng.integers(1, 256, (n_images, *shape)).astype(np.uint8)
    rows = []
    for image, dy, dx, flip in draws:
        out = np.ascontiguousarray(augmented(batch[image], padding, dy, dx, flip))
        assert out.shape == tuple(shape)
        rows.append({"image": image, "dy": dy, "dx": dx, "flip": flip,
                     "expected": base64.b64encode(out.astype(np.uint8).tobytes()).decode()})
    return {"shape": list(shape), "padding": padding, "images": base64.b64encode(batch.tobytes()).decode(),
            "mean": rng.uniform(0.2, 0.6, shape[0]).tolist(), "std": rng.uniform(0.1, 0.3, shape[0]).tolist(),
            "draws": rows}


def augmentation():
    every = [(k % 2, dy, dx, flip) for k, (dy, dx, flip) in
             enumerate((dy, dx, flip) for dy in range(-2, 3) for dx in range(-2, 3) for flip in (False, True))]
    return [
        augmentation_case((3, 5, 6), 2, 2, every),   # every offset and flip; H ≠ W
        augmentation_case((1, 28, 28), 4, 1, [(0, -4, -4, False), (0, 4, 4, True), (0, 0, 0, True),
                                              (0, -3, 2, False), (0, 4, -4, True), (0, 1, -2, True)]),
        augmentation_case((3, 32, 32), 4, 1, [(0, 0, 0, False), (0, -4, 3, True)]),
        augmentation_case((2, 3, 2), 4, 1, [(0, 4, 0, False), (0, 0, -4, True), (0, 1, 1, True), (0, -1, 2, False)]),
    ]


def dump(name, value):
    (HERE / name).write_text(json.dumps(value, indent=1) + "\n")


dump("cifar_reference.json", {"numpy": np.__version__, "cifar10": cifar10(), "cifar100": cifar100()})
dump("augmentation_reference.json", {"numpy": np.__version__, "cases": augmentation()})
