# nnprobe — the two set-up commands are `make demo` and `make test`; both install what is missing.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libhdf5-dev liblapacke-dev libopenblas-dev zlib1g-dev libdnnl-dev libxgboost-dev hdf5-tools pkg-config dataset-fashion-mnist
PY_MODULES := numpy h5py pytest jsonschema sklearn safetensors
# PyTorch for the interop tests that compare imported models with it (Tests/interop/test_import_torch.py),
# as pip requirements: torchvision 0.28 is the release built for torch 2.13. Checked by distribution
# name, since PyPI's Linux torchvision (a CUDA build) imports only partly beside a CPU torch; the
# test works around that (its models need none of the missing detection ops).
TORCH_PACKAGES := torch==2.13.0 torchvision==0.28.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The release binary every target builds, runs and installs: the Swift runtime and Foundation
# linked in (--static-swift-stdlib), so it runs where Swift is not installed (cluster nodes need
# only Debian's runtime packages) and starts in 17 ms instead of 23, which a sweep pays once per
# child process. Its own scratch path: the flag changes how every module compiles, so sharing
# .build/release with `swift build -c release` (and nnprobe-bench) would rebuild everything each time.
BIN := .build/static/release/nnprobe
RELEASE_BUILD := $(SWIFT) build -c release --product nnprobe --static-swift-stdlib --scratch-path .build/static

.PHONY: demo test test-fast bench deps system-deps python-deps build build-debug fixtures help-fixtures man install clean

## demo: install what is missing, build in release mode, run the default job.
demo: deps build
	bash scripts/demo.sh $(BIN)

## test: the full tier (what CI runs): install what is missing, run every Swift test (the fuzz
## tests on 3,000 fresh mutants per reader), then the h5py interoperability tests against a release build.
## Among them, Tests/interop/test_slurm_cluster.py runs analyses/slurm-sweep.sh on a one-node Slurm
## cluster on 127.0.0.1: it installs Debian's munge, slurmctld, slurmd and slurm-client when they are
## missing (as root), starts the daemons from a temporary directory and stops them by PID; where they
## cannot run, it is skipped and `-rs` prints why.
test: deps
	$(SWIFT) build --build-tests
	NNPROBE_FUZZ_COUNT=3000 $(SWIFT) test --skip-build
	$(RELEASE_BUILD)
	NNPROBE=$(BIN) python3 -m pytest -q -rs Tests/interop

## test-fast: (for developers, after every edit) the fast tier: a debug build, every Swift test
## but those named in SLOW_TESTS, and a sample of the interop tests run on the debug binary:
## about 40 s after the build on two busy cores, against 80–110 s for the full tier's Swift
## tests alone. `make test` runs everything.
test-fast:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(SLOW_TESTS)'
	NNPROBE=.build/debug/nnprobe python3 -m pytest -q $(INTEROP_SAMPLE)

# The full tier's extra tests (a `swift test --skip` regex over suite and test names, kept here
# only): long training runs, sweeps of child processes, the twice-run of
# every subcommand, a conv net trained on Fashion-MNIST and dumped: about 50 of the full tier's 80 Swift-test seconds (serial, debug, measured).
SLOW_TESTS := spiralsWithBatchNormLearnsAndRandomLabelsDoNot|regionsTileTheBoxAndCarryTheirPatterns|SweepIntegrityTests|sweepRunsInParallelResumesAndSummarises|aRunKilledMidTrainingStopsTheSweep|divergedRunStillWritesItsCheckpoint|DeterminismTests|RunFactsTests|readersSurviveThousandsOfMutants|convNetDumpsAreWrittenAndAnalysed|aTrainedCNNOnThePlaneThroughThreeTestImages|ConvAnalysesCommandTests
# The interop tests in the fast tier: checkpoints written by h5py, and byte-identical files from the same seed.
INTEROP_SAMPLE := Tests/interop/test_checkpoints_from_elsewhere.py -k "inspects or identical"

## bench: speed against the Python peers, side by side, as ratios.
bench: deps build
	bash bench/run.sh $(BIN)

deps: system-deps python-deps

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

python-deps:
	@for m in $(PY_MODULES); do python3 -c "import $$m" 2>/dev/null || missing="$$missing $$m"; done; \
	for p in $(TORCH_PACKAGES); do python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('$${p%%==*}').split('+')[0] != '$${p##*==}')" \
	  2>/dev/null || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "pip installing:$$missing"; python3 -m pip install -q $${missing/sklearn/scikit-learn}; fi

build:
	$(RELEASE_BUILD)

## install: PREFIX/bin/nnprobe (PREFIX=/usr/local by default) and its man page
## PREFIX/share/man/man1/nnprobe.1: the release binary, with the Swift runtime linked in, so it
## runs on machines without Swift — cluster nodes need only Debian's runtime packages of HDF5,
## OpenBLAS/LAPACKE and zlib (libhdf5-103-1, libopenblas0, liblapacke, zlib1g).
PREFIX ?= /usr/local
install: system-deps build
	install -D -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/nnprobe
	install -D -m 644 docs/nnprobe.1 $(DESTDIR)$(PREFIX)/share/man/man1/nnprobe.1

## fixtures: regenerate the committed reference fixtures with h5py/numpy (and PyTorch, for the
## whole conv nets of NNModelTests and the conv regions of NNRegionsTests).
fixtures: python-deps
	python3 Tests/NNCheckpointTests/Fixtures/make_fixtures.py
	python3 Tests/NNTasksTests/Fixtures/make_image_fixtures.py
	python3 Tests/NNModelTests/Fixtures/make_torch_network_fixtures.py
	python3 Tests/NNRegionsTests/Fixtures/make_conv_region_fixtures.py

## help-fixtures: after changing flags on purpose, rewrite Tests/nnprobeTests/Fixtures/help/*.txt
## (the expected --help screens) from the current build; review with `git diff`.
help-fixtures:
	$(SWIFT) build --build-tests
	NNPROBE_UPDATE_HELP=1 $(SWIFT) test --skip-build --filter HelpScreenTests
	$(MAKE) man

## man: rewrite docs/nnprobe.1 (the man page `make install` installs: every subcommand and flag)
## from the current build's help texts, with argument-parser's generate-manual (built from the
## package's own dependency, offline); `make help-fixtures` runs it too. Dated by the last commit.
MAN_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
man:
	$(SWIFT) build --product nnprobe
	$(SWIFT) build --product generate-manual
	.build/debug/generate-manual .build/debug/nnprobe --date $(MAN_DATE) --output-directory docs

clean:
	rm -rf .build
