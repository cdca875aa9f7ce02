#!/usr/bin/env bash
# Replays a reader-fuzz corpus (NNPROBE_FUZZ_DUMP=DIR swift test --filter ReaderFuzzTests) through
# an nnprobe binary, one process per mutant, and counts how each ended: read, refused (a clean
# non-zero exit), crashed (killed by a signal: trap, abort, segfault) or hung (20 s).
#   scripts/fuzz_replay.sh BINARY CORPUS_DIR
set -u
bin=$(readlink -f "$1") corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A read refused crashed hung
classify() {   # reader, status
    case $2 in
        0) read[$1]=$(( ${read[$1]:-0} + 1 ));;
        124) hung[$1]=$(( ${hung[$1]:-0} + 1 ));;
        1[3-9][0-9]|2[0-9][0-9]) crashed[$1]=$(( ${crashed[$1]:-0} + 1 ));;
        *) refused[$1]=$(( ${refused[$1]:-0} + 1 ));;
    esac
}
run() { timeout 20 "$bin" "$@" >/dev/null 2>&1; }
for f in "$corpus"/safetensors/*; do run import "$f" --out "$work/imported.h5"; classify safetensors $?; rm -f "$work/imported.h5"; done
for d in "$corpus"/idx/*/; do run train idx --data "$d" --epochs 1 --hidden 4 --no-dump; classify idx $?; done
for d in "$corpus"/cifar/*/; do   # NNNNN-cifar10/, NNNNN-cifar100/
    task=${d%/}; task=${task##*-}
    run train "$task" --data "$d" --epochs 1 --hidden 4 --no-dump; classify cifar $?
done
for f in "$corpus"/csv/*; do run train csv --data "$f" --epochs 1 --hidden 4 --no-dump; classify csv $?; done
for f in "$corpus"/config/*; do (cd "$work" && run train --config "$f" --epochs 1 --train-size 64 --val-size 16 --test-size 16 --no-dump); classify config $?; done
for f in "$corpus"/recipe/*; do run run "$f" --out "$work/out" --set epochs=1 --set train-size=64; classify recipe $?; rm -rf "$work/out"; done
for r in safetensors idx cifar csv config recipe; do
    echo "$r: read ${read[$r]:-0}, refused ${refused[$r]:-0}, crashed ${crashed[$r]:-0}, hung ${hung[$r]:-0}"
done
