#!/usr/bin/env bash
# A Slurm job array that spreads one nnprobe sweep over N machines writing into one shared
# directory: task K of N trains the K-th slice (--shard K/N); runs already complete are skipped,
# so re-submitting the array after a failure finishes only what is missing.
#
#   sbatch --array=1-8 analyses/slurm-sweep.sh
#   nnprobe summary /shared/sweeps/multi-mult-100 && nnprobe ortho /shared/sweeps/multi-mult-100
#
#SBATCH --job-name=nnprobe-sweep
#SBATCH --cpus-per-task=2
#SBATCH --time=01:00:00
set -euo pipefail
SWEEP_DIR=${SWEEP_DIR:-/shared/sweeps/multi-mult-100}
NNPROBE=${NNPROBE:-nnprobe}
"$NNPROBE" train multi-mult --hidden 16 --epochs 20 --lr 0.003 --seeds 0..99 \
  --save "$SWEEP_DIR" --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --jobs "${SLURM_CPUS_PER_TASK:-2}"
