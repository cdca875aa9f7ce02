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

# Conv nets (issue 12): one SGD step at batch 128, nnprobe (oneDNN) against PyTorch on the same
# thread count (1, then 2: PyTorch's default on 2 cores), in CONV_ROUNDS interleaved rounds
# (the side that goes first alternates); the report gives each round's ratio, as a range.
CONV_ROUNDS=${CONV_ROUNDS:-5}
for threads in 1 2; do
  for round in $(seq "$CONV_ROUNDS"); do
    for spec in cnn-28:50 cnn-002:20 resnet-1111-w16:10; do
      net=${spec%%:*} steps=${spec##*:}
      echo "conv $net, $threads thread(s), round $round …" >&2
      ours() { "$BENCH" conv "$net" --threads "$threads" --steps "$steps" | sed "s/}\$/, \"round\": $round}/"; }
      theirs() { python3 bench/peer_torch_conv.py "$net" "$threads" "$steps" | sed "s/}\$/, \"round\": $round}/"; }
      if (( round % 2 )); then ours >> "$out"; theirs >> "$out"; else theirs >> "$out"; ours >> "$out"; fi
    done
  done
done

echo "analysis benchmark data (first run writes ~1.5 GB to bench/data) …" >&2
python3 -c "import sklearn" 2>/dev/null || python3 -m pip install -q scikit-learn
python3 bench/make_data.py bench/data >&2
# The binary `make bench` passes, or else the Makefile's release binary (Swift runtime linked
# in), built now so that a direct run never times a stale one.
BIN=${1:-.build/static/release/nnprobe}
[ -n "${1:-}" ] || make build >/dev/null
# Each analysis case runs 3 times, alternating sides, every input read from the page cache first;
# the report keeps each side's fastest run (this machine's timings wander by up to 2×).
echo "pca 1,000,000 × 128 …" >&2
for _ in 1 2 3; do
  cat bench/data/dump_1m_128.h5 > /dev/null
  python3 bench/time_nnprobe.py pca "$BIN" pca bench/data/dump_1m_128.h5 --layer 0 --json >> "$out"
  python3 bench/peer_numpy.py pca bench/data/dump_1m_128.h5 >> "$out"
done
echo "svd of ten 1024 × 1024 layers …" >&2
for _ in 1 2 3; do
  cat bench/data/svd_10x1024.h5 > /dev/null
  python3 bench/time_nnprobe.py svd-big "$BIN" svd bench/data/svd_10x1024.h5 --json >> "$out"
  python3 bench/peer_numpy.py svd-big bench/data/svd_10x1024.h5 >> "$out"
done
echo "svd over 2,000 checkpoints …" >&2
# The directory as a sweep leaves it: its checkpoints and their pack (`nnprobe pack`, rebuilt
# here when missing or out of date; `svd DIR` reads it). `svd-many-files` names the same files
# by a pattern, so each is opened and read on its own; the peer reads the files one by one.
"$BIN" pack bench/data/ckpts_2000 >&2
for _ in 1 2 3; do
  cat bench/data/ckpts_2000/*.h5 bench/data/ckpts_2000/sweep-pack.hdf5 > /dev/null
  python3 bench/time_nnprobe.py svd-many "$BIN" svd bench/data/ckpts_2000 --json >> "$out"
  python3 bench/time_nnprobe.py svd-many-files "$BIN" svd 'bench/data/ckpts_2000/*.h5' --json >> "$out"
  python3 bench/peer_numpy.py svd-many bench/data/ckpts_2000 | tee -a "$out" | sed 's/"svd-many"/"svd-many-files"/g' >> "$out"
done
echo "similarity of 100 nets × 10,000 rows × 16 units, all 4,950 pairs, debiased CKA …" >&2
for _ in 1 2 3; do
  cat bench/data/similarity_100/*.h5 > /dev/null
  python3 bench/time_nnprobe.py similarity "$BIN" similarity bench/data/similarity_100 --measure debiased-cka --layer 0 --json >> "$out"
  python3 bench/peer_numpy.py similarity bench/data/similarity_100 >> "$out"
done
"$BENCH" similarity >> "$out"                          # the computation alone, best of 3 in process
python3 bench/peer_numpy.py similarity-compute >> "$out"
echo "conv-layer operator spectrum, 64→64 3×3 on 32×32, one core each, 5 interleaved rounds …" >&2
for round in 1 2 3 4 5; do
  "$BENCH" conv-spectrum "$round" >> "$out"
  OPENBLAS_NUM_THREADS=1 python3 bench/peer_numpy.py conv-spectrum "$round" >> "$out"
done
echo "logistic-regression probe fit, 10,000 × 128, 10 classes: 5 interleaved rounds …" >&2
# The fit alone on each side (data read first), one thread each (BLAS and OpenMP too), at
# scikit-learn's default tol 1e-4 and at the probe command's 1e-10; the report gives the range
# of the per-round ratios.
single=(env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)
for _ in 1 2 3 4 5; do
  "${single[@]}" "$BENCH" probe bench/data/probe_10000x128x10 >> "$out"
  "${single[@]}" python3 bench/peer_numpy.py probe-fit bench/data/probe_10000x128x10 >> "$out"
  "${single[@]}" "$BENCH" probe bench/data/probe_10000x128x10 --tight >> "$out"
  "${single[@]}" python3 bench/peer_numpy.py probe-fit-tight bench/data/probe_10000x128x10 >> "$out"
done
echo "regions of a trained 2-64-64-64-2 ReLU net …" >&2
[ -f bench/data/spirals_64x3.h5 ] || "$BIN" train spirals --hidden 64,64,64 --epochs 30 --lr 0.003 --save bench/data/spirals_64x3.h5 --no-dump >/dev/null
"$BIN" regions bench/data/spirals_64x3.h5 --box=-1,1,-1,1 --grid 1024 --samples 0 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps({"bench": "regions", "net": "regions", "impl": "nnprobe", "seconds": d["timing"]["exact_seconds"], "peak_mib": 0,
                  "regions": d["n_regions"], "regions_per_second": d["timing"]["regions_per_second"]}))
print(json.dumps({"bench": "regions", "net": "regions", "impl": "1024² grid (nnprobe)", "seconds": d["timing"]["grid_seconds"], "peak_mib": 0,
                  "regions": d["grid"]["distinct_patterns"]}))' >> "$out"
echo "100-seed multi-mult sweep …" >&2
rm -rf bench/data/sweep-100
python3 bench/time_nnprobe.py sweep "$BIN" train multi-mult --hidden 16 --train-size 10000 --epochs 20 --batch-size 128 \
  --lr 0.003 --seeds 0..99 --save bench/data/sweep-100 >> "$out"
python3 bench/peer_torch_sweep.py 100 >> "$out"
# Issue 18: the same sweep (and two bigger shapes) against peers that train every model at once:
# PyTorch with stacked weights and bmm (1 and 2 threads) and JAX jit + vmap, each side a whole
# process including start-up and writing every model's result, in SWEEP_ROUNDS interleaved
# rounds; then 1,000 seeds once (cost should grow linearly). JAX is the bench's only user of
# its pip package.
python3 -c "import jax" 2>/dev/null || { echo "installing the JAX peer (pip install 'jax[cpu]')…" >&2; python3 -m pip install -q 'jax[cpu]'; }
python3 bench/gemm_rate.py >> "$out"
python3 bench/sweep_bench.py "$BIN" "${SWEEP_ROUNDS:-2}" >> "$out"
python3 bench/report.py "$out" | tee bench/results/latest.md
