#!/usr/bin/env bash
# make bench: nnprobe against its Python peers, side by side in one run, as ratios.
# Each measurement is its own process (so peak memory is that measurement's).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=.build/release/nnprobe-bench
swift build -c release --product nnprobe-bench >/dev/null
python3 -c "import torch" 2>/dev/null || { echo "installing the PyTorch peer (pip install torch)…"; python3 -m pip install -q torch; }
out=bench/results/latest.jsonl
mkdir -p bench/results
: > "$out"
echo "machine: $(nproc) cores, $(python3 -c 'import torch; print("torch", torch.__version__, "threads", torch.get_num_threads())')"
for net in 4-16-2 4-64-64-2 2-16x6bn-10 784-128x4-10; do
  echo "train $net …" >&2
  "$BENCH" train "$net" >> "$out"
  python3 bench/peer_torch_train.py "$net" >> "$out"
done
python3 bench/report.py "$out" | tee bench/results/latest.md
