# Shenava — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench venv system-deps clean sample

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the service on the embedded default (SQLite; the bundled sample when no API credentials are set).
run: $(STAMP)
	$(BIN)/shenava init
	$(BIN)/shenava run

## Install dev dependencies, lint, and run the whole test suite.
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .

## Benchmarks print figures (sentiment quality and speed, spike detection, archive queries).
bench: $(STAMP)
	$(BIN)/python -m benchmarks

sample: $(STAMP)
	$(BIN)/python scripts/generate_sample.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
