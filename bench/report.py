#!/usr/bin/env python3
"""Turns bench/run.sh's JSON lines into one table: nnprobe vs its peer, speed-up as a ratio."""
import json
import sys

TARGETS = {  # (bench, case) -> minimum speed-up the issues ask for
    ("train", "4-16-2"): 10, ("train", "4-64-64-2"): 10, ("train", "2-16x6bn-10"): 10, ("train", "784-128x4-10"): 1,
}


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    cases = {}
    for r in rows:
        cases.setdefault((r["bench"], r["net"]), {})[r["impl"]] = r
    print("| bench | case | nnprobe µs/step | peer | peer µs/step | speed-up | target | peak MiB nnprobe / peer |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for (bench, case), impls in cases.items():
        ours = impls.get("nnprobe")
        peer = next((v for k, v in impls.items() if k != "nnprobe"), None)
        if not ours or not peer:
            continue
        ratio = peer["us_per_step"] / ours["us_per_step"]
        target = TARGETS.get((bench, case))
        verdict = "" if target is None else (f"≥ {target}× {'met' if ratio >= target else 'MISSED'}")
        print(f"| {bench} | {case} | {ours['us_per_step']:.1f} | {peer['impl']} | {peer['us_per_step']:.1f} | "
              f"{ratio:.1f}× | {verdict} | {ours['peak_mib']:.0f} / {peer['peak_mib']:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1])
