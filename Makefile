# Northstar: `make run` starts the bot, `make test` runs the tests. Both set everything up from
# the locks: requirements.lock (what runs) and requirements-dev.lock (plus the test and lint
# tools) pin every package to one version and its hashes. `make lock` regenerates them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
UV_VERSION ?= 0.13.9
# Extra options for `make lock`, e.g. LOCK_ARGS=--upgrade to move every pin to the newest
# version pyproject.toml allows (by default pins only move when pyproject.toml requires it).
LOCK_ARGS ?=
LOCK_OPTIONS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: run check-config test lint migrate bench demo pictures lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The lock first (exact versions, every hash checked), then Northstar itself without resolving
# anything again. The Dockerfile installs the same way.
$(STAMP_RUN): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# requirements.lock is resolved within requirements-dev.lock, so this installs it too.
$(STAMP_DEV): requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(STAMP_RUN)

# The embedded database is migrated first (`northstar run` would also do it). Missing
# settings are explained by `northstar check-config` and end `make run` quietly (exit status 2
# means "settings missing", and the message says which); any other failure, of the check or
# of `northstar run` itself, fails the target.
run: $(STAMP_RUN)
	$(BIN)/northstar migrate
	@$(BIN)/northstar check-config; status=$$?; \
	if [ $$status -eq 2 ]; then exit 0; elif [ $$status -ne 0 ]; then exit $$status; fi; \
	exec $(BIN)/northstar run

check-config: $(STAMP_RUN)
	$(BIN)/northstar check-config

migrate: $(STAMP_RUN)
	$(BIN)/northstar migrate

# A month at a sample bakery against a fake Slack: no Slack account needed.
demo: $(STAMP_RUN)
	$(BIN)/northstar demo

# Pictures of what people see (docs/pictures) from a fresh demo month; needs Chromium
# (apt-get install -y chromium fonts-noto-color-emoji).
pictures: $(STAMP_RUN)
	rm -rf build/pictures-demo
	$(BIN)/northstar demo --out build/pictures-demo > /dev/null
	$(BIN)/python -m fakeslack.pictures build/pictures-demo docs/pictures

test: $(STAMP_DEV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Regenerate both locks from pyproject.toml with uv, for Python 3.11+ on every platform.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_OPTIONS) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml -c requirements-dev.lock $(LOCK_OPTIONS) \
		-o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Every benchmark and one table (docs/performance.md); BENCH_ARGS=--quick for 1x sizes only.
bench: $(STAMP_DEV)
	$(BIN)/python -m bench.all $(BENCH_ARGS)
