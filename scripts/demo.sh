#!/usr/bin/env bash
# The default job (`make demo`): train the reference study's two-multiplications MLP, save
# its checkpoint and activation dumps, and show what was saved.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/nnprobe}
CKPT=checkpoints/multi-mult/demo-h16-s0.h5
echo "== nnprobe train multi-mult --hidden 16 --lr 0.003 --epochs 50 --save $CKPT"
"$BIN" train multi-mult --hidden 16 --lr 0.003 --epochs 50 --save "$CKPT"
echo
echo "== nnprobe inspect $CKPT"
"$BIN" inspect "$CKPT"
echo
echo "== nnprobe inspect ${CKPT%.h5}.acts-task0.h5"
"$BIN" inspect "${CKPT%.h5}.acts-task0.h5"
