"""analyses/slurm-sweep.sh on a real one-node Slurm cluster (Debian's munged, slurmctld and slurmd
on 127.0.0.1, see slurm_cluster.py), used as its comments say: a job array trains a sweep into one
directory; one task is cancelled (`scancel`) while it trains and re-submitted alone with the
array's shape stated. Every run is then present once, the index lists the whole sweep, and
`nnprobe summary` reports it. Where the daemons cannot run here, the test is skipped with the
reason (never passed)."""
import json
import os
import re
import statistics
import subprocess
import time

import pytest

from conftest import ROOT
from slurm_cluster import OneNodeCluster, Unavailable

SCRIPT = os.path.join(ROOT, "analyses", "slurm-sweep.sh")
SEEDS = 6
# Each run long enough (about 1.5 s in a release build on a free core; longer on a busy machine)
# that a task is cancelled in the middle of its second run, not after it.
SWEEP = ["mult", "--hidden", "128", "--epochs", "100", "--train-size", "20000", "--seeds", f"0..{SEEDS - 1}"]
# Generous bounds: about 12 s in all with a release build (make test's); a debug build's runs are
# some 25 times slower.
PATIENCE = 600


@pytest.fixture
def cluster(tmp_path):
    cluster = OneNodeCluster(tmp_path / "cluster")
    try:
        try:
            cluster.start()
        except Unavailable as reason:
            pytest.skip(f"no one-node Slurm cluster on this machine: {reason}")
        yield cluster
    finally:
        cluster.stop()


def checkpoints(sweep):
    return sorted(name for name in os.listdir(sweep) if name.endswith(".h5"))


def read_index(sweep):
    with open(os.path.join(sweep, "index.json")) as f:
        return json.load(f)


def wait_for(condition, what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


def test_a_cancelled_task_resubmitted_completes_the_sweep(nnprobe, cluster, tmp_path):
    sweep = tmp_path / "sweep"
    env = {"NNPROBE": os.path.abspath(nnprobe), "SWEEP_DIR": str(sweep)}   # the jobs run elsewhere
    # Three tasks of one CPU each on the node's two: task 1 trains seeds 0 and 3, one after the other.
    job = cluster.sbatch("--array=1-3", "--cpus-per-task=1", SCRIPT, *SWEEP, env=env, cwd=str(tmp_path))
    # Task 1's first run is done when its checkpoint appears (written whole, then renamed into
    # place); the index is written only when a task ends, so it cannot tell.
    first_done = lambda: os.path.isdir(sweep) and any(re.search(r"-s0(-c[0-9a-f]+)?\.h5$", n) for n in os.listdir(sweep))
    wait_for(lambda: first_done() or cluster.states(job).get("1") not in ("PENDING", "RUNNING"),
             "task 1 to finish its first run", PATIENCE)
    assert cluster.states(job).get("1") == "RUNNING", f"task 1 ended before it could be cancelled: {cluster.states(job)}"
    cluster.scancel(f"{job}_1")
    cluster.wait_until_done(job, PATIENCE)
    states = cluster.states(job)
    assert states == {"1": "CANCELLED", "2": "COMPLETED", "3": "COMPLETED"}, (states, cluster.log_tail("slurmctld"))

    # The cancelled task's second run left nothing behind; the index lists every complete run.
    index = read_index(sweep)
    assert sorted(r["seed"] for r in index["runs"]) == [0, 1, 2, 4, 5]
    assert [r["checkpoint"] for r in index["runs"]] == checkpoints(sweep)
    assert not [name for name in os.listdir(sweep) if name.endswith(".tmp")]
    partial = subprocess.run([nnprobe, "summary", str(sweep)], capture_output=True, text=True)
    assert partial.returncode == 0 and "5 runs of mult" in partial.stdout, partial.stderr

    # Re-submitted alone, as the script's comments say: the array's shape stated.
    again = cluster.sbatch("--array=1", "--cpus-per-task=1", SCRIPT, *SWEEP,
                           env={**env, "NNPROBE_SHARDS": "3", "NNPROBE_FIRST_TASK": "1"}, cwd=str(tmp_path))
    cluster.wait_until_done(again, PATIENCE)
    assert cluster.states(again) == {"1": "COMPLETED"}, cluster.states(again)
    with open(tmp_path / f"slurm-{again}_1.out") as f:
        assert "1 of 2 runs already complete" in f.read()   # the script's output file, named as it says

    # Every run present once; the index complete; summary as the index says.
    index = read_index(sweep)
    names = [r["name"] for r in index["runs"]]
    assert sorted(r["seed"] for r in index["runs"]) == list(range(SEEDS)) and len(set(names)) == SEEDS
    assert [r["checkpoint"] for r in index["runs"]] == checkpoints(sweep) == sorted(f"{n}.h5" for n in names)
    assert all(r["status"] == "ok" for r in index["runs"])
    summary = json.loads(subprocess.run([nnprobe, "summary", str(sweep), "--json"], capture_output=True, text=True,
                                        check=True).stdout)
    [group] = summary["groups"]
    assert group["runs"] == SEEDS and group["diverged"] == 0
    for key in ("final_val_loss", "test_accuracy"):
        values = [r[key] for r in index["runs"]]
        assert group[key]["mean"] == pytest.approx(statistics.fmean(values), rel=1e-12)
        assert group[key]["std"] == pytest.approx(statistics.stdev(values), rel=1e-9)
    text = subprocess.run([nnprobe, "summary", str(sweep)], capture_output=True, text=True, check=True).stdout
    assert f"{SEEDS} runs of mult" in text
    # The analyses read the same runs the index lists.
    svd = json.loads(subprocess.run([nnprobe, "svd", str(sweep), "--json"], capture_output=True, text=True,
                                    check=True).stdout)
    assert sorted((f["run"], f["seed"]) for f in svd["files"]) == sorted((r["name"], r["seed"]) for r in index["runs"])
