#!/usr/bin/env bash
# The default job (`make demo`): train the reference study's two-multiplications MLP, save
# its checkpoint and activation dumps, and show what was saved; then a small CNN on Fashion-MNIST.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/static/release/nnprobe}
CKPT=checkpoints/multi-mult/demo-h16-s0.h5
echo "== nnprobe train multi-mult --hidden 16 --lr 0.003 --epochs 50 --save $CKPT"
"$BIN" train multi-mult --hidden 16 --lr 0.003 --epochs 50 --save "$CKPT"
echo
echo "== nnprobe inspect $CKPT"
"$BIN" inspect "$CKPT"
echo
echo "== nnprobe inspect ${CKPT%.h5}.acts-task0.h5"
"$BIN" inspect "${CKPT%.h5}.acts-task0.h5"
echo
# The conv path: a small CNN on the real Fashion-MNIST images Debian packages (about a minute on two cores).
CNN=checkpoints/fashion-mnist/demo-cnn-s0.h5
echo "== nnprobe train fashion-mnist --arch cnn --channels 16,32 --fc 64 --train-size 6000 --epochs 2 --save $CNN"
"$BIN" train fashion-mnist --arch cnn --channels 16,32 --fc 64 --train-size 6000 --val-size 1000 --test-size 2000 --epochs 2 --save "$CNN"
echo
echo "== nnprobe inspect $CNN"
"$BIN" inspect "$CNN"
echo
echo "== nnprobe svd $CNN   (conv kernels as out × in·k·k matrices)"
"$BIN" svd "$CNN"
