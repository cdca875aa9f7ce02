#!/usr/bin/env bash
# How large an image `nnprobe regions` handles on conv nets: Fashion-MNIST shrunk to H×H (area
# average of the central crop), a small CNN (channels 8, fc 16) and a tiny ResNet (blocks 1,
# base width 4, heads on stages) trained on it for 2 epochs, then the exact regions on the plane
# through test images 0, 1, 2 (box [0,1]², grid and random sampling off), timed by the command.
# Usage: bash bench/regions_conv_sizes.sh [NNPROBE] [SIZES...]   (release build; one core's worth)
set -euo pipefail
BIN=${1:-.build/static/release/nnprobe}; shift || true
SIZES=${*:-8 12 16 20 24 28}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for H in $SIZES; do
  python3 - "$H" "$WORK/fm$H" <<'PY'
import gzip, os, sys
import numpy as np
h, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
src = "/usr/share/datasets/fashion-mnist"
for part in ("train", "t10k"):
    with gzip.open(f"{src}/{part}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(f"{src}/{part}-labels-idx1-ubyte.gz") as f:
        labels = f.read()
    k = 28 // h
    crop = images[:, (28 - k * h) // 2:(28 - k * h) // 2 + k * h, (28 - k * h) // 2:(28 - k * h) // 2 + k * h]
    small = crop.reshape(-1, h, k, h, k).mean(axis=(2, 4)).round().astype(np.uint8) if k > 1 else crop
    with open(f"{out}/{part}-images-idx3-ubyte", "wb") as f:
        f.write(np.array([0x803, len(small), h, h], ">i4").tobytes() + small.tobytes())
    with open(f"{out}/{part}-labels-idx1-ubyte", "wb") as f:
        f.write(labels)
PY
  for NET in "cnn --channels 8 --fc 16" "resnet --blocks 1 --base-width 4 --heads-on stages"; do
    CK="$WORK/${NET%% *}$H.h5"
    "$BIN" train idx --data "$WORK/fm$H" --arch $NET --train-size 5000 --val-size 500 --test-size 100 --epochs 2 \
      --no-dump --save "$CK" > /dev/null
    START=$(date +%s.%N)
    if OUT=$("$BIN" regions "$CK" --images 0,1,2 --grid 0 --samples 0 --json 2>&1); then
      END=$(date +%s.%N)
      echo "$OUT" | python3 -c "import json,sys; r=json.load(sys.stdin); print(f'1x$H×$H ${NET%% *}: {r[\"n_regions\"]} regions, exact {r[\"timing\"][\"exact_seconds\"]:.2f} s, command {$END - $START:.2f} s')"
    else
      echo "1x$H×$H ${NET%% *}: $OUT"
    fi
  done
done
