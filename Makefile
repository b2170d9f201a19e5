# The two commands: `make test` and `make run`. Both create .venv on first use.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: test run lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest

# The offline demo: the daemon against an emulated exchange and a scripted demo bot
# (no network, no secrets). Ctrl-C stops it cleanly.
run: $(STAMP)
	$(PY) -m demo

clean:
	rm -rf demo/data .pytest_cache
