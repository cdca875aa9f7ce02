#!/usr/bin/env python3
"""Writes damaged copies ("mutants") of small valid checkpoints and activation dumps, for the
fuzz tests of NNCheckpointTests (issue 19): every reader must either succeed with sane numbers
or throw one typed error — never trap, hang, or read memory it does not own.

The mutations are deterministic (seeded), and aim where damage hurts most:
  huge_dim     a dimension of a dataset or attribute dataspace set to 2^63-1, 2^64-1, 2^45, 2^32, 2^31
  relabel      a dimension grown by one or doubled (2x16 stored, 3x16 or 4x16 declared)
  shrink       a dimension made smaller (fewer elements declared than stored)
  layout_size  the stored byte count of a contiguous dataset changed
  flip         1 to 8 random bytes XOR-ed with a random value
  zero         a random range of 1 to 64 bytes zeroed
  truncate     the file cut at a random length

Bases are the files in --base (default: the fuzz/ folder beside this script, plus h5py_mlp.h5 and
h5py_multihead.h5). Dataspace and layout messages are found by searching the file for the exact
bytes HDF5 writes for the shapes h5py reports, so the script needs h5py and numpy.

  python3 make_mutants.py [--out DIR] [--manifest FILE] [--count N] [--seed S]

makes N mutants (default 48): as files in DIR, named BASE-NNNNN-KIND.h5, and/or as a manifest of
edits to the bases (JSON: name, base relative to this folder, kind, edits [[offset, hex bytes]],
XOR-ed in for kind "flip" and written over otherwise, then truncate: a length or null), which is
what the Swift fuzz test applies. The committed manifest, fuzz/mutants.json, is
  python3 make_mutants.py --manifest fuzz/mutants.json --count 56

fuzz/conv-dump.h5 (a conv net's dump, format 2: 4-D feature maps and pooled channels) is
  SOURCE_DATE_EPOCH=1764633600 nnprobe train fashion-mnist --arch cnn --channels 2,3 --fc 4 \
      --train-size 40 --val-size 8 --test-size 4 --epochs 1 --dump-rows 2 --save fz.h5
  (its fz.acts-test.h5).
"""
import argparse
import glob
import json
import os
import random
import struct
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
HUGE = [2**63 - 1, 2**64 - 1, 2**45, 2**32, 2**31]


def shapes(path):
    """Every non-scalar shape of a dataset or attribute in the file: (object path, shape, contiguous data range or None)."""
    found = []

    def attributes(name, obj):
        for value in obj.attrs.values():
            if np.ndim(value) > 0:
                found.append((name, tuple(int(d) for d in np.shape(value)), None))

    def visit(name, obj):
        attributes(name, obj)
        if isinstance(obj, h5py.Dataset) and obj.shape:
            offset = obj.id.get_offset()
            storage = (offset, obj.id.get_storage_size()) if offset is not None else None
            found.append((name, tuple(int(d) for d in obj.shape), storage))

    with h5py.File(path, "r") as f:
        attributes("", f)
        f.visititems(visit)
    return found


def targets(path, data):
    """Dimension fields and contiguous layout sizes: (byte offset, current value, object path)."""
    dims, sizes = set(), set()
    for name, shape, storage in shapes(path):
        packed = b"".join(struct.pack("<Q", d) for d in shape)
        rank = len(shape)
        # Dataspace message version 1: version, rank, flags, 5 reserved bytes, then the dims;
        # version 2: version, rank, flags, type, then the dims.
        for version, skip in ((1, 8), (2, 4)):
            start = 0
            while (at := data.find(packed, start)) >= 0:
                start = at + 1
                if at >= skip and data[at - skip:at - skip + 2] == bytes([version, rank]):
                    dims.update((at + 8 * axis, shape[axis], name) for axis in range(rank))
        if storage is not None:
            address, size = storage
            # Data Layout message version 3, contiguous: version 3, class 1, address, size.
            at = data.find(bytes([3, 1]) + struct.pack("<QQ", address, size))
            if at >= 0:
                sizes.add((at + 10, size, name))
    return sorted(dims), sorted(sizes)


def pick(rng, found):
    """A target, half the time one in the model or the dump's layers (what the readers use most)."""
    main = [t for t in found if t[2].startswith(("model", "layers", "inputs", "outputs"))]
    return rng.choice(main if main and rng.random() < 0.5 else found)


def mutate(size, dims, sizes, rng):
    """One damage to a file of `size` bytes: (kind, [(offset, bytes)], length to cut to or None)."""
    kinds = ["flip", "zero", "truncate"]
    if dims:
        kinds += ["huge_dim", "huge_dim", "relabel", "relabel", "shrink"]
    if sizes:
        kinds += ["layout_size"]
    kind = rng.choice(kinds)
    u64 = lambda value: struct.pack("<Q", value % 2**64)
    if kind == "huge_dim":
        return kind, [(pick(rng, dims)[0], u64(rng.choice(HUGE)))], None
    if kind == "relabel":
        at, value, _ = pick(rng, dims)
        return kind, [(at, u64(rng.choice([value + 1, value * 2, value * 2 + 1])))], None
    if kind == "shrink":
        at, value, _ = pick(rng, dims)
        return kind, [(at, u64(rng.choice([0, max(value - 1, 0), value // 2])))], None
    if kind == "layout_size":
        at, value, _ = pick(rng, sizes)
        return kind, [(at, u64(rng.choice([0, value - 4, value + 4, 2 * value, 2**40, 2**64 - 1])))], None
    if kind == "flip":
        return kind, [(at, bytes([rng.randint(1, 255)])) for at in
                      (rng.randrange(size) for _ in range(rng.randint(1, 8)))], None
    if kind == "zero":
        at = rng.randrange(size)
        return kind, [(at, bytes(min(rng.randint(1, 64), size - at)))], None
    return kind, [], rng.randrange(8, size)


def apply(data, edits, cut, xor):
    """The damaged bytes: `edits` written (XOR-ed in for flips), then cut to `cut` bytes."""
    out = bytearray(data)
    for at, value in edits:
        for i, byte in enumerate(value):
            out[at + i] = out[at + i] ^ byte if xor else byte
    return bytes(out[:cut] if cut is not None else out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the mutants as files into this folder")
    parser.add_argument("--manifest", help="write the mutants as a JSON list of edits (- for stdout)")
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--base", nargs="*")
    args = parser.parse_args()
    bases = args.base or sorted(glob.glob(os.path.join(HERE, "fuzz", "*.h5"))) + [
        os.path.join(HERE, name) for name in ("h5py_mlp.h5", "h5py_multihead.h5", "layouts/chunked_gzip.h5",
                                              "layouts/compact.h5", "layouts/latest.h5")]
    prepared = []
    for path in bases:
        with open(path, "rb") as f:
            data = f.read()
        prepared.append((os.path.relpath(path, HERE), data, *targets(path, data)))
    rng = random.Random(args.seed)
    mutants = []
    for index in range(args.count):
        base, data, dims, sizes = prepared[index % len(prepared)]
        kind, edits, cut = mutate(len(data), dims, sizes, rng)
        name = f"{os.path.splitext(os.path.basename(base))[0]}-{index:05d}-{kind}.h5"
        mutants.append({"name": name, "base": base, "kind": kind, "truncate": cut,
                        "edits": [[at, value.hex()] for at, value in edits]})
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(apply(data, edits, cut, xor=kind == "flip"))
    if args.manifest:
        text = json.dumps(mutants, indent=0) + "\n"
        if args.manifest == "-":
            sys.stdout.write(text)
        else:
            with open(args.manifest, "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
