# Two commands on a fresh machine:  `make demo` (build the seeds' graph and pages), `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test install dev browser-deps bench clean

demo: $(VENV)/.installed
	$(BIN)/kg build seeds --out $(OUT) --no-progress
	@echo "pages: $(OUT)/site/index.html   report: $(OUT)/report.md   export: $(OUT)/graph.trig"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

# Browser tests drive Debian's chromium with Playwright (never `playwright install`).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

test: dev browser-deps
	$(BIN)/pytest -q
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  $(BIN)/pytest -q --nbmake --nbmake-timeout=300 notebooks/ -p no:doctest --override-ini="addopts=" --override-ini="testpaths=notebooks"; fi

bench: dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(OUT) .pytest_cache
