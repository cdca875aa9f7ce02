"""Float64 weights are analysed as Float64: a safetensors file of F64 matrices gives numpy's
singular values and norms of those exact values, not of their float32 roundings."""
import json
import struct

import numpy as np

from conftest import run


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def test_float64_weights_are_not_rounded(nnprobe, tmp_path):
    rng = np.random.default_rng(7)
    # Values far from float32's grid, and a tiny singular value float32 rounding would swamp.
    u, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    v, _ = np.linalg.qr(rng.standard_normal((9, 9)))
    sigma = np.array([3.0, 2.5, 1.0, 0.5, 0.1, 1e-3, 1e-5, 1e-7, 1e-9])
    w = u[:, :9] @ np.diag(sigma) @ v.T
    path = tmp_path / "f64.safetensors"
    write_safetensors(path, {"layer.weight": w, "out.weight": rng.standard_normal((3, 12)) / 3})
    report = json.loads(run(nnprobe, "svd", str(path), "--json").stdout)
    ours = np.array(report["files"][0]["layers"][0]["singular_values"])
    numpy = np.linalg.svd(w, compute_uv=False)
    assert np.max(np.abs(ours - numpy)) < 1e-13 * numpy[0]
    assert abs(ours[-1] - 1e-9) < 1e-12   # float32 rounding of w would leave ~1e-7 here
    norms = json.loads(run(nnprobe, "norms", str(path), "--json").stdout)
    entry = norms["files"][0]["entries"][0]
    assert abs(entry["frobenius_norm"] - np.linalg.norm(w)) < 1e-14 * np.linalg.norm(w)
