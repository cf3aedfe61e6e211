# The two entry points from README.md: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866

.PHONY: run test venv system-deps

# (every source of the compiled core: a changed one is built again, or a pull would count with the old build)
$(BIN)/pbtools: pyproject.toml setup.py $(wildcard pbtools/counting/native/*.c pbtools/counting/native/*.h)
	@# Debian's python3 has no venv module until python3-venv is installed
	$(PY) -c "import ensurepip" 2>/dev/null || sh scripts/system-deps.sh python3-venv
	@# a C compiler and Python's headers build the compiled counting core (optional: without them pip skips it)
	-PY=$(PY) sh scripts/system-deps.sh --build
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/pbtools

run: venv
	$(BIN)/pbtools demo --if-missing
	$(BIN)/pbtools serve --host $(HOST) --port $(PORT)

# Debian's chromium (browser tests), PostgreSQL (database tests) and configurable-http-proxy (the hub's tests),
# installed only when missing.
system-deps:
	sh scripts/system-deps.sh

# Parallel workers (pytest-xdist): as many as the CPUs allow, 2 to 4 (tests/conftest.py says why); a module's
# tests stay on one worker, so a module's server, browser or hub is started once. `make test PYTEST_ARGS=-n0`
# runs them one after another, `make test PYTEST_ARGS="tests/server -n 2"` a part.
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder

test: venv system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)
