#!/usr/bin/env bash
# A Slurm job array that spreads one nnprobe sweep over the array's tasks, all writing into one
# shared directory: each task trains its slice (`--shard K/N`); runs already complete are
# skipped, so re-submitting after a failure finishes only what is missing.
#
#   SWEEP_DIR=/shared/sweeps/mm sbatch --array=1-8 analyses/slurm-sweep.sh multi-mult --seeds 0..99 --epochs 20
#   SWEEP_DIR=/shared/sweeps/mm sbatch --array=0-7 analyses/slurm-sweep.sh …   # 0-based arrays work too
#   nnprobe summary /shared/sweeps/mm && nnprobe ortho /shared/sweeps/mm
#
# The arguments are `nnprobe train`'s (the task and any flags; the default is the reference
# study's 100-seed multi-mult sweep). The slice comes from the array's bounds: K = task id − first
# id + 1, N = number of ids. To re-submit one task of an earlier array, state the array's shape:
#   NNPROBE_SHARDS=8 NNPROBE_FIRST_TASK=1 SWEEP_DIR=… sbatch --array=3 analyses/slurm-sweep.sh …
# Each task's output goes to slurm-<job>_<task>.out (below), each run's log to SWEEP_DIR/logs/.
#
#SBATCH --job-name=nnprobe-sweep
#SBATCH --cpus-per-task=2
#SBATCH --time=01:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
SWEEP_DIR=${SWEEP_DIR:-/shared/sweeps/multi-mult-100}
NNPROBE=${NNPROBE:-nnprobe}
: "${SLURM_ARRAY_TASK_ID:?run this as a Slurm job array (sbatch --array=…)}"
first=${NNPROBE_FIRST_TASK:-${SLURM_ARRAY_TASK_MIN:-1}}
shards=${NNPROBE_SHARDS:-$(( ${SLURM_ARRAY_TASK_MAX:-$SLURM_ARRAY_TASK_ID} - first + 1 ))}
shard=$(( SLURM_ARRAY_TASK_ID - first + 1 ))
if (( shard < 1 || shard > shards )); then
    echo "slurm-sweep.sh: task $SLURM_ARRAY_TASK_ID is not one of the $shards tasks from $first (set NNPROBE_SHARDS and NNPROBE_FIRST_TASK)" >&2
    exit 2
fi
if (( $# == 0 )); then set -- multi-mult --hidden 16 --epochs 20 --lr 0.003 --seeds 0..99; fi
exec "$NNPROBE" train "$@" --save "$SWEEP_DIR" --shard "$shard/$shards" --jobs "${SLURM_CPUS_PER_TASK:-2}"
