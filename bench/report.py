#!/usr/bin/env python3
"""Turns bench/run.sh's JSON lines into one table: nnprobe vs its peer, speed-up as a ratio
(the fastest of each side's runs when a case was measured more than once)."""
import json
import sys

TARGETS = {  # (bench, case) -> minimum speed-up (peer time / nnprobe time) the issues ask for
    ("train", "4-16-2"): 10, ("train", "4-64-64-2"): 10, ("train", "2-16x6bn-10"): 10, ("train", "784-128x4-10"): 1,
    ("pca", "pca"): 1, ("svd-big", "svd-big"): 1 / 1.1, ("svd-many", "svd-many"): 5, ("svd-many-files", "svd-many-files"): 1, ("sweep", "sweep"): 10,
    ("similarity", "similarity"): 1, ("similarity-compute", "similarity-compute"): 1,
    ("conv-spectrum", "conv-spectrum"): 2,
}
LABELS = {"pca": "pca --vary all, 1,000,000 × 128 dump (peak memory target < 256 MiB)",
          "svd-big": "svd, ten 1024 × 1024 layers", "svd-many": "svd DIR, 2,000 checkpoints of 4-16-2 (read from the directory's pack)",
          "svd-many-files": "svd DIR/*.h5, the same 2,000 checkpoints one file at a time",
          "regions": "regions, trained 2-64-64-64-2 on [-1, 1]² (exact vs grid; target exact < 1 s)",
          "similarity": "similarity, 100 activation dumps × 10,000 rows × 16 units, all 4,950 pairs, debiased CKA (target < 1 s)",
          "similarity-compute": "the same computation alone, in memory (best of 3; target < 1 s)",
          "conv-spectrum": "conv operator spectrum, 64→64 3×3 on 32×32 (65,536 values), one core each, numpy: fft2 + batched SVD "
                           "(target < 1 s)",
          "probe-fit": "logistic-regression probe fit, 10,000 × 128, 10 classes, C = 1, tol 1e-4 both sides (sklearn's default)",
          "probe-fit-tight": "the same at tol 1e-10 (nnprobe probe's default; scipy's L-BFGS-B then stops on its ftol test)",
          "sweep": "100-seed multi-mult sweep (4-16-2, 10,000 samples, 20 epochs, batch 128, Adam), one process per core"}


CONV_TARGETS = {"resnet-1111-w16": 1, "cnn-002": 1, "cnn-28": 2}
CONV_LABELS = {"resnet-1111-w16": "ResNet [1,1,1,1] width 16, 3×32×32", "cnn-002": "study 002's CNN, 3×32×32",
               "cnn-28": "small CNN, 1×28×28"}


def conv_table(rows):
    """Conv training steps: per (net, threads), each round's PyTorch time over nnprobe's, as a
    range over the rounds (wall clock, and CPU time of the process, which a busy machine disturbs less)."""
    runs = {}
    for r in rows:
        if r["bench"] == "conv-train":
            runs.setdefault((r["net"], r["threads"]), {}).setdefault(r.get("round", 0), {})[r["impl"]] = r
    if not runs:
        return
    print("\n| conv training step, batch 128, SGD | threads | nnprobe ms (median) | PyTorch ms (median) | speed-up, wall (min–median–max) "
          "| speed-up, CPU time (min–median–max) | rounds | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for (net, threads), rounds in sorted(runs.items(), key=lambda kv: (kv[0][1], list(CONV_TARGETS).index(kv[0][0]))):
        pairs = [v for v in rounds.values() if "nnprobe" in v and "pytorch" in v]
        if not pairs:
            continue
        wall = sorted(p["pytorch"]["us_per_step"] / p["nnprobe"]["us_per_step"] for p in pairs)
        cpu = sorted(p["pytorch"]["cpu_us_per_step"] / p["nnprobe"]["cpu_us_per_step"] for p in pairs)
        ours = sorted(p["nnprobe"]["us_per_step"] / 1000 for p in pairs)
        theirs = sorted(p["pytorch"]["us_per_step"] / 1000 for p in pairs)
        target = CONV_TARGETS[net]
        verdict = "met" if wall[0] >= target else "met in the median" if median(wall) >= target else "MISSED"
        print(f"| {CONV_LABELS[net]} | {threads} | {median(ours):.1f} | {median(theirs):.1f} | "
              f"{wall[0]:.2f}–{median(wall):.2f}–{wall[-1]:.2f}× | {cpu[0]:.2f}–{median(cpu):.2f}–{cpu[-1]:.2f}× | {len(pairs)} | "
              f"≥ {target}× {verdict} |")


SWEEP_LABELS = {"mm": "4-16-2 on multi-mult, 20 epochs, batch 128, Adam (study 003)",
                "spirals-bn": "2-16×6 batch norm on 10 spiral arms, × 4 learning rates, 10 epochs (study 001)",
                "fmnist": "784-128×4-10 on Fashion-MNIST, 1 epoch (study 004)"}


def sweep_batched_table(rows):
    """Issue 18: the whole sweep as one process on each side, against the batched peers, in
    interleaved rounds: per round, the fastest peer's time over nnprobe's (wall and CPU), the
    final validation losses, and how far each side is from the FLOP limit at the measured
    single-core GEMM rate."""
    sweeps = [r for r in rows if r["bench"] == "sweep-batched"]
    gemm = next((r["gflops"] for r in rows if r["bench"] == "gemm"), None)
    if not sweeps:
        return
    print("\n| sweep, whole process each side | models | nnprobe s (CPU s) | peers s (CPU s), median | speed-up vs fastest peer, "
          "wall (CPU) per round | final val loss: nnprobe / peers (max diff) | FLOP | × FLOP limit, nnprobe CPU (fastest peer) | target |")
    print("|---|---:|---:|---|---:|---|---:|---:|---|")
    nets = list(dict.fromkeys(r["net"] for r in sweeps))
    for net in nets:
        rounds = {}
        for r in sweeps:
            if r["net"] == net:
                rounds.setdefault(r["round"], {})[r["impl"]] = r
        full = [v for v in rounds.values() if "nnprobe" in v and len(v) > 1]
        if not full:
            continue
        peers = [k for k in full[0] if k != "nnprobe"]
        ours = [v["nnprobe"] for v in full]
        wall = sorted(min(v[p]["seconds"] for p in peers) / v["nnprobe"]["seconds"] for v in full)
        cpu = sorted(min(v[p]["cpu_seconds"] for p in peers) / v["nnprobe"]["cpu_seconds"] for v in full)
        first = full[0]["nnprobe"]
        peer_text = "; ".join(f"{p} {median([v[p]['seconds'] for v in full]):.3g} ({median([v[p]['cpu_seconds'] for v in full]):.3g})"
                              for p in peers)
        losses = {k: median([v[k]["val_loss"] for v in full]) for k in full[0]}
        spread = max(losses.values()) / min(losses.values()) - 1
        loss_text = f"{losses['nnprobe']:.4g} / " + ", ".join(f"{losses[p]:.4g}" for p in peers) + f" ({100 * spread:.1f} %{'' if spread <= 0.1 else ' > 10 %!'})"
        limit = first["flop"] / (gemm * 1e9) if gemm else None
        fastest_cpu = min(median([v[p]["cpu_seconds"] for v in full]) for p in peers)
        limit_text = f"{median([o['cpu_seconds'] for o in ours]) / limit:.0f}× ({fastest_cpu / limit:.0f}×)" if limit else "–"
        target = ""
        if first["case"] == "mm" and first["seeds"] == 100:
            target = (f"≥ 5× {'met' if wall[0] >= 5 else 'MISSED'}; ≤ 10× limit "
                      f"{'met' if limit and median([o['cpu_seconds'] for o in ours]) / limit <= 10 else 'MISSED'}")
        print(f"| {SWEEP_LABELS[first['case']]}, {first['seeds']} seeds | {first['models']} | {median([o['seconds'] for o in ours]):.3g} "
              f"({median([o['cpu_seconds'] for o in ours]):.3g}) | {peer_text} | {wall[0]:.2f}–{wall[-1]:.2f}× "
              f"({cpu[0]:.2f}–{cpu[-1]:.2f}×), {len(full)} round(s) | {loss_text} | {first['flop']:.3g} | {limit_text} | {target} |")
    if gemm:
        print(f"\nFLOP limit: the sweep's FLOP at numpy's single-core sgemm rate, {gemm:.1f} GFLOP/s (1024³, one thread, measured now).")
    grow = {}
    for r in sweeps:
        if r["impl"] == "nnprobe" and r["case"] == "mm":
            grow.setdefault(r["seeds"], []).append(r)
    if 100 in grow and 1000 in grow:
        w = median([r["seconds"] for r in grow[1000]]) / median([r["seconds"] for r in grow[100]])
        c = median([r["cpu_seconds"] for r in grow[1000]]) / median([r["cpu_seconds"] for r in grow[100]])
        print(f"Linear growth: nnprobe's 1,000-seed sweep takes {w:.1f}× the 100-seed sweep's wall time, {c:.1f}× its CPU time (linear: 10×).")


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


# Cases run in interleaved rounds (nnprobe, peer, nnprobe, peer, …): the speed-up column also
# gives the range of the per-round ratios, which a loaded machine moves less than either side alone.
ROUNDS = {"probe-fit", "probe-fit-tight"}


def round_ratios(rows, bench, case):
    """Peer time / nnprobe time of each round, pairing the k-th run of each side."""
    runs = {}
    for r in rows:
        if (r["bench"], r["net"]) == (bench, case):
            runs.setdefault(r["impl"] == "nnprobe", []).append(r["seconds"])
    ours, peers = runs.get(True, []), runs.get(False, [])
    return [p / o for o, p in zip(ours, peers)]


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    cases = {}
    for r in rows:  # a case measured several times keeps each side's fastest run
        if r["bench"] in ("conv-train", "sweep-batched", "gemm"):
            continue
        impls = cases.setdefault((r["bench"], r["net"]), {})
        key = "us_per_step" if "us_per_step" in r else "seconds"
        if r["impl"] not in impls or r[key] < impls[r["impl"]][key]:
            impls[r["impl"]] = r
    rounds = {}  # (bench, case) -> {round: {impl: seconds}}, for cases measured in interleaved rounds
    for r in rows:
        if "round" in r:
            rounds.setdefault((r["bench"], r["net"]), {}).setdefault(r["round"], {})[r["impl"]] = r
    print("| bench | case | nnprobe | peer | peer time | speed-up | target | peak MiB nnprobe / peer |")
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for (bench, case), impls in cases.items():
        ours = impls.get("nnprobe")
        peer = next((v for k, v in impls.items() if k != "nnprobe"), None)
        if not ours or not peer:
            continue
        unit, key, scale = ("µs/step", "us_per_step", 1) if "us_per_step" in ours else ("s", "seconds", 1)
        ratio = peer[key] / ours[key]
        target = TARGETS.get((bench, case))
        speedup = f"{ratio:.2f}×"
        if (bench, case) in rounds:  # the range of the per-round ratios; the target must hold in every round
            pairs = [(r[peer["impl"]], r["nnprobe"]) for r in rounds[(bench, case)].values() if len(r) == 2]
            ratios = sorted(p["seconds"] / o["seconds"] for p, o in pairs)
            speedup, ratio = f"{ratios[0]:.2f}–{ratios[-1]:.2f}× ({len(ratios)} rounds)", ratios[0]
            if all("cpu_seconds" in p and "cpu_seconds" in o for p, o in pairs):  # steadier on a busy machine
                cpu = sorted(p["cpu_seconds"] / o["cpu_seconds"] for p, o in pairs)
                speedup += f"; CPU time {cpu[0]:.2f}–{cpu[-1]:.2f}×"
        verdict = "" if target is None else (f"≥ {target:.2g}× {'met' if ratio >= target else 'MISSED'}")
        if bench == "conv-spectrum":
            verdict += f", < 1 s {'met' if ours['seconds'] < 1 else 'MISSED'}"
        extra = f" ({ours['all_cores_seconds']:.4g} s on all cores)" if "all_cores_seconds" in ours else ""
        if bench == "regions":
            print(f"| regions | {LABELS[case]} | {ours['seconds']:.3g} s, {ours['regions']} regions "
                  f"({ours['regions_per_second']:.0f}/s) | {peer['impl']} | {peer['seconds']:.3g} s, {peer['regions']} patterns | "
                  f"{peer['seconds'] / ours['seconds']:.2f}× | < 1 s {'met' if ours['seconds'] < 1 else 'MISSED'} | |")
            continue
        if bench in ROUNDS and (ratios := round_ratios(rows, bench, case)):
            speedup += f" (rounds {min(ratios):.2f}–{max(ratios):.2f}×, n = {len(ratios)})"
        print(f"| {bench} | {LABELS.get(case, case)} | {ours[key] * scale:.4g} {unit}{extra} | {peer['impl']} | {peer[key] * scale:.4g} {unit} | "
              f"{speedup} | {verdict} | {ours['peak_mib']:.0f} / {peer['peak_mib']:.0f} |")
    conv_table(rows)
    sweep_batched_table(rows)


if __name__ == "__main__":
    main(sys.argv[1])
