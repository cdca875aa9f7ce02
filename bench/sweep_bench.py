#!/usr/bin/env python3
"""Issue 18: nnprobe's sweep as a whole process against the batched peers (PyTorch bmm on 1 and
2 threads, JAX jit + vmap), each side a whole process: start-up, data, training, validation,
and writing every model's result. Sides alternate in interleaved rounds (the side that goes
first rotates). Prints one JSON line per measurement: wall and CPU seconds (of the process and
its children), peak memory, the mean final validation loss, and the case's FLOP count.

Usage: sweep_bench.py NNPROBE_BINARY ROUNDS"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_cases import CASES, flop, nnprobe_command  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# (case, seeds, sides, rounds): a case's sides take turns going first, round by round.
PLAN = [
    ("mm", 100, ["nnprobe", "pytorch-bmm-1", "pytorch-bmm-2", "jax-vmap"], None),
    ("spirals-bn", 5, ["nnprobe", "pytorch-bmm-1", "pytorch-bmm-2"], None),
    ("fmnist", 4, ["nnprobe", "pytorch-bmm-1", "pytorch-bmm-2"], 1),   # 200 GFLOP a side: once
    ("mm", 1000, ["nnprobe", "pytorch-bmm-1", "jax-vmap"], 1),   # cost grows linearly: once
]


def command(side, binary, case, seeds, out):
    if side == "nnprobe":
        return nnprobe_command(binary, case, seeds, out)
    if side.startswith("pytorch-bmm-"):
        return [sys.executable, os.path.join(HERE, "peer_torch_bmm.py"), case, str(seeds), side.rsplit("-", 1)[1], out]
    return [sys.executable, os.path.join(HERE, "peer_jax_vmap.py"), case, str(seeds), out]


def measure(side, binary, case, seeds, round_):
    out = tempfile.mkdtemp(prefix=f"nnprobe-sweep-bench-{side}-")
    shutil.rmtree(out)
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command(side, binary, case, seeds, out), stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(process.pid, 0)   # this process's own resource use (its children's included)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0), stderr.seek(0)
        printed, errors = stdout.read(), stderr.read()
    if process.returncode != 0:
        sys.exit(f"{side} {case} failed: {errors[-2000:]}")
    if side == "nnprobe":
        with open(os.path.join(out, "index.json")) as f:
            runs = json.load(f)["runs"]
        val_loss, models = sum(r["final_val_loss"] for r in runs) / len(runs), len(runs)
    else:
        line = json.loads(printed.strip().splitlines()[-1])
        val_loss, models = line["val_loss"], line["models"]
    files = len([f for f in os.listdir(out) if f.endswith((".h5", ".pt", ".npz")) and f != "sweep-pack.hdf5"])
    shutil.rmtree(out)
    return {"bench": "sweep-batched", "net": f"{case}-{seeds}", "case": case, "seeds": seeds, "impl": side, "round": round_,
            "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024, "val_loss": val_loss,
            "models": models, "files": files, "flop": flop(case, models)}


def main(binary, rounds):
    for case, seeds, sides, case_rounds in PLAN:
        for round_ in range(1, (case_rounds or rounds) + 1):
            shift = (round_ - 1) % len(sides)
            for side in sides[shift:] + sides[:shift]:
                print(f"sweep {case}, {seeds} seeds × {len(CASES[case]['lrs'])} lr, {side}, round {round_} …", file=sys.stderr)
                print(json.dumps(measure(side, binary, case, seeds, round_)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
