PY ?= .venv/bin/python
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install fmt lint check test test-pg serve demo bench

install:
	python3 -m venv .venv && .venv/bin/pip install -e '.[test]'

fmt:
	.venv/bin/ruff format src tests benchmarks && .venv/bin/ruff check --fix src tests benchmarks

lint:
	.venv/bin/ruff format --check src tests benchmarks && .venv/bin/ruff check src tests benchmarks

check:
	scripts/check

test:
	$(PY) -m pytest

test-pg:
	AUTOLEASE_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m db -n 0

serve:
	.venv/bin/autolease serve

demo:
	.venv/bin/autolease demo

bench:
	$(PY) -m benchmarks.run
