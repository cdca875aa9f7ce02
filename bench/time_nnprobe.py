#!/usr/bin/env python3
"""Runs one nnprobe command and prints a JSON line with its wall time and peak memory."""
import json
import resource
import subprocess
import sys
import time

case, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
if result.returncode != 0:
    sys.exit(f"{' '.join(command)} failed: {result.stderr}")
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"bench": case, "net": case, "impl": "nnprobe", "seconds": seconds, "peak_mib": peak}))
