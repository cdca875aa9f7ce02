#!/usr/bin/env python3
"""Runs mutants (make_mutants.py --out DIR) through the nnprobe CLI and counts the outcomes, for
issue 19's before/after measurement:

  python3 fuzz_cli.py NNPROBE DIR [--timeout 20] [--jobs 2] [--twice]

Each file goes through `svd`, `norms`, `inspect` and `dump`. An outcome is
  signal   killed by a signal (a trap or a segfault)
  hang     still running after the timeout
  unclear  exit status other than 0 and 1, or stderr that is not one line naming the file
  error    exit status 1 and one stderr line naming the file (the wanted refusal)
  ok       exit status 0 (the damage did not matter, or was not noticed)
With --twice every run that ends is repeated, and one whose status or stderr differs is also
counted as "differs" (non-determinism: uninitialised memory read somewhere).
"""
import argparse
import collections
import concurrent.futures
import os
import subprocess
import sys
import tempfile

COMMANDS = [["svd"], ["norms"], ["inspect"], ["dump", "--dataset", "test"]]


def run_twice(binary, path, command, timeout, scratch):
    first = run(binary, path, command, timeout, scratch)
    if first[0] == "hang":
        return first, False
    return first, run(binary, path, command, timeout, scratch) != first


def run(binary, path, command, timeout, scratch):
    args = [binary, command[0], path] + command[1:]
    if command[0] == "dump":
        args += ["--out", os.path.join(scratch, os.path.basename(path) + ".acts.h5")]
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", ""
    if result.returncode < 0:
        return "signal", f"signal {-result.returncode}"
    if result.returncode == 0:
        return "ok", ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode == 1 and len(lines) == 1 and path in lines[0]:
        return "error", lines[0]
    return "unclear", f"status {result.returncode}: " + " | ".join(lines)[:300]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("folder")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--twice", action="store_true")
    args = parser.parse_args()
    files = sorted(os.path.join(args.folder, name) for name in os.listdir(args.folder) if name.endswith(".h5"))
    counts = collections.Counter()
    with tempfile.TemporaryDirectory() as scratch, concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        jobs = {pool.submit(run_twice if args.twice else run, args.binary, path, command, args.timeout, scratch):
                (path, command[0]) for path in files for command in COMMANDS}
        for job in concurrent.futures.as_completed(jobs):
            if args.twice:
                (outcome, detail), differs = job.result()
                if differs:
                    counts["differs"] += 1
                    print(f"differs  {jobs[job][1]:8} {os.path.basename(jobs[job][0])}  {detail}")
            else:
                outcome, detail = job.result()
            counts[outcome] += 1
            if outcome in ("signal", "hang", "unclear"):
                path, command = jobs[job]
                print(f"{outcome:8} {command:8} {os.path.basename(path)}  {detail}")
    print(f"{len(files)} files x {len(COMMANDS)} commands:", dict(sorted(counts.items())))


if __name__ == "__main__":
    sys.exit(main())
