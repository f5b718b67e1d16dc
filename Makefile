# purposely: `make demo` runs the main job on bundled sample data; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck unit bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/purposely demo

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -n auto -q

test: lint typecheck unit

bench: install
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/gate.py
	$(BIN)/python bench/redact.py
	$(BIN)/python bench/dedup.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/erase.py

clean:
	rm -rf $(VENV) purposely-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis
