# Northstar: `make run` starts the bot, `make test` runs the tests. Both set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint migrate bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/northstar migrate
	$(BIN)/northstar run

migrate: $(STAMP_RUN)
	$(BIN)/northstar migrate

# A month at a sample bakery against a fake Slack: no Slack account needed.
demo: $(STAMP_RUN)
	$(BIN)/northstar demo

test: $(STAMP_DEV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Every benchmark and one table (docs/performance.md); BENCH_ARGS=--quick for 1x sizes only.
bench: $(STAMP_DEV)
	$(BIN)/python -m bench.all $(BENCH_ARGS)
