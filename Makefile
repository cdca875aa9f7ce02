# nnprobe — the two set-up commands are `make demo` and `make test`; both install what is missing.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libhdf5-dev liblapacke-dev libopenblas-dev hdf5-tools pkg-config
PY_MODULES := numpy h5py pytest jsonschema
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/nnprobe

.PHONY: demo test bench deps system-deps python-deps build build-debug fixtures help-fixtures clean

## demo: install what is missing, build in release mode, run the default job.
demo: deps build
	bash scripts/demo.sh $(BIN)

## test: install what is missing, run the Swift tests and the h5py interoperability tests.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) build -c release --product nnprobe
	NNPROBE=$(BIN) python3 -m pytest -q Tests/interop

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
	if [ -n "$$missing" ]; then echo "pip installing:$$missing"; python3 -m pip install -q $$missing; fi

build:
	$(SWIFT) build -c release --product nnprobe

## fixtures: regenerate the committed reference fixtures with h5py/numpy.
fixtures: python-deps
	python3 Tests/NNCheckpointTests/Fixtures/make_fixtures.py

## help-fixtures: after changing flags on purpose, rewrite Tests/nnprobeTests/Fixtures/help/*.txt
## (the expected --help screens) from the current build; review with `git diff`.
help-fixtures:
	$(SWIFT) build --build-tests
	NNPROBE_UPDATE_HELP=1 $(SWIFT) test --skip-build --filter HelpScreenTests

clean:
	rm -rf .build
