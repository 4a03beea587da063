# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format check eval bench bench-smoke e2e-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

e2e-deps: node_modules/.installed

run: $(STAMP)
	$(PY) -m bot

test: $(STAMP) e2e-deps
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks
	$(PY) -m bot check
	$(PY) -m pytest
	$(MAKE) --no-print-directory bench-smoke

lint: $(STAMP)
	$(PY) -m ruff check bot tests benchmarks

format: $(STAMP)
	$(PY) -m ruff format bot tests benchmarks
	$(PY) -m ruff check --fix bot tests benchmarks

check: $(STAMP)
	$(PY) -m bot check

eval: $(STAMP)
	$(PY) -m bot eval tests/data/eval.yaml

bench: $(STAMP) e2e-deps
	$(PY) -m benchmarks.run --full
	$(PY) -m benchmarks.e2e_load --full

bench-smoke: $(STAMP) e2e-deps
	$(PY) -m benchmarks.run --smoke

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .hypothesis
