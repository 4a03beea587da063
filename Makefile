# Two commands do everything on a fresh clone: `make run` and `make test`.
# `make run` installs the runtime dependencies only; `make test` and `make bench` add theirs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint format check eval train bench bench-smoke e2e-deps clean

$(RUN_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(PY) -m pip install --quiet -e ".[charts,test,bench]"
	touch $(TEST_STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

e2e-deps: node_modules/.installed

# The terminal chat (or the Telegram bot when TELEGRAM_BOT_TOKEN is set). Ctrl-C or Ctrl-D ends
# it quietly: the chat exits 0 on both.
run: $(RUN_STAMP)
	@$(PY) -m bot

test: $(TEST_STAMP) e2e-deps
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks
	$(PY) -m bot check
	$(PY) -m pytest
	$(MAKE) --no-print-directory bench-smoke

lint: $(TEST_STAMP)
	$(PY) -m ruff check bot tests benchmarks

format: $(TEST_STAMP)
	$(PY) -m ruff format bot tests benchmarks
	$(PY) -m ruff check --fix bot tests benchmarks

check: $(RUN_STAMP)
	$(PY) -m bot check

eval: $(RUN_STAMP)
	$(PY) -m bot eval $(filter-out tests/data/holdout%,$(wildcard tests/data/*.yaml))
	$(PY) -m bot eval $(wildcard tests/data/holdout*.yaml)

# Retrain bot/classifier.npz after the tuning sets in tests/data change (a test says when).
train: $(RUN_STAMP)
	$(PY) -m pip install --quiet -e ".[train]"
	$(PY) -m bot train

bench: $(TEST_STAMP) e2e-deps
	$(PY) -m benchmarks.run --full
	$(PY) -m benchmarks.e2e_load --full

bench-smoke: $(TEST_STAMP) e2e-deps
	$(PY) -m benchmarks.run --smoke

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
