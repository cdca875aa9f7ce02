"""analyses/slurm-sweep.sh derives each task's slice from the job array's bounds, so 1-based and
0-based arrays both cover the sweep, and a re-submitted single task trains its own slice when
the array's shape is stated. (Slurm itself is not needed: the script reads its environment.)"""
import os
import subprocess

from conftest import ROOT

SCRIPT = os.path.join(ROOT, "analyses", "slurm-sweep.sh")
SWEEP = ["mult", "--epochs", "1", "--train-size", "200", "--seeds", "0..3"]


def task(nnprobe, sweep_dir, task_id, first, last, **extra):
    env = {**os.environ, "NNPROBE": nnprobe, "SWEEP_DIR": str(sweep_dir), "SLURM_ARRAY_TASK_ID": str(task_id),
           "SLURM_ARRAY_TASK_MIN": str(first), "SLURM_ARRAY_TASK_MAX": str(last), "SLURM_CPUS_PER_TASK": "1", **extra}
    return subprocess.run(["bash", SCRIPT, *SWEEP], env=env, capture_output=True, text=True)


def seeds(sweep_dir):
    return sorted(int(name.split("-s")[1].split("-")[0].split(".")[0]) for name in os.listdir(sweep_dir) if name.endswith(".h5"))


def test_zero_based_arrays_cover_the_sweep(nnprobe, tmp_path):
    assert task(nnprobe, tmp_path / "z", 0, 0, 1).returncode == 0
    assert seeds(tmp_path / "z") == [0, 2]
    assert task(nnprobe, tmp_path / "z", 1, 0, 1).returncode == 0
    assert seeds(tmp_path / "z") == [0, 1, 2, 3]


def test_a_resubmitted_task_trains_its_own_slice(nnprobe, tmp_path):
    # `sbatch --array=2` alone: Slurm says min = max = 2; the array's shape is stated instead.
    result = task(nnprobe, tmp_path / "r", 2, 2, 2, NNPROBE_SHARDS="2", NNPROBE_FIRST_TASK="1")
    assert result.returncode == 0, result.stderr
    assert seeds(tmp_path / "r") == [1, 3]
    wrong = task(nnprobe, tmp_path / "w", 5, 1, 2)
    assert wrong.returncode == 2 and "is not one of the 2 tasks" in wrong.stderr
