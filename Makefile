# Shenava — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The CPU build of torch: PyPI's default Linux wheel pulls several GB of CUDA libraries.
# Tried first from the configured pip sources (a local wheel mirror), then from PyTorch's CPU index.
TORCH       ?= torch==2.13.0+cpu
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: run test lint bench venv system-deps clean sample

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q "$(TORCH)" 2>/dev/null || $(BIN)/pip install -q "$(TORCH)" --extra-index-url $(TORCH_INDEX)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the service on the embedded default (SQLite; the bundled sample when no API credentials are set),
## with the web app and API beside it (`shenava serve`, stopped with the service).
run: $(STAMP)
	$(BIN)/shenava init
	$(BIN)/shenava serve & SERVE=$$!; trap 'kill $$SERVE 2>/dev/null' EXIT; $(BIN)/shenava run

## Install dev dependencies, lint, check the package layers (pyproject [tool.importlinter]), run all tests.
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check .

## Benchmarks print figures (sentiment quality and speed, spike detection, archive queries, pipeline).
bench: $(STAMP)
	$(BIN)/python -m benchmarks

## Regenerate the bundled sample (deterministic; tests/pipeline/test_sample.py checks it is current).
sample: $(STAMP)
	$(BIN)/python scripts/generate_sample.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
