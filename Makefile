# purposely: `make demo` runs the main job on bundled sample data; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The browser tests and screenshots drive Debian's Chromium: Playwright cannot download its own
# browser builds here. apt-get needs root; elsewhere sudo.
CHROMIUM ?= /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test lint typecheck unit browser screenshots bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/purposely demo

lint: install
	$(BIN)/ruff check src tests bench docs
	$(BIN)/ruff format --check src

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -n auto -q

# Skipped when Chromium is there; a failed install only warns, and the browser tests then
# report themselves skipped with the reason.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing Debian's Chromium for the browser tests"; \
	  { $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium fonts-liberation fonts-dejavu-core >/dev/null; } || \
	  echo "warning: could not install Chromium; the browser tests will be skipped"; \
	fi

test: lint typecheck browser unit

# PNGs of the privacy center and the admin view for the README (docs/screenshots/).
screenshots: install browser
	$(BIN)/python -m docs.screenshots

# Every benchmark runs even when one misses a goal (it prints FAIL and exits 1; "-" goes on).
bench: install
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	-$(BIN)/python bench/ingest.py
	-$(BIN)/python bench/gate.py
	-$(BIN)/python bench/redact.py
	-$(BIN)/python bench/dedup.py
	-$(BIN)/python bench/build.py
	-$(BIN)/python bench/report.py
	-$(BIN)/python bench/erase.py
	-$(BIN)/python bench/jobs.py

clean:
	rm -rf $(VENV) purposely-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis
