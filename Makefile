# Officer Health: `make run` starts the service on the embedded default, `make test` tests it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint bench system-deps clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

run: install
	$(BIN)/officer-health db upgrade
	$(BIN)/officer-health demo
	$(BIN)/officer-health serve

# Two workers (this machine's cores) for everything that may share the CPU, then, alone, the
# tests that measure time or load. TEST_WORKERS=0 runs it all in one process. Work stealing: a
# worker that runs out takes tests queued for the other, so long tests do not end the run alone.
TEST_WORKERS ?= 2
test: install system-deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial"
	$(BIN)/pytest -m serial

# The inner loop: core, models and services in process (no spawned servers or CLIs), SQLite.
test-fast: install
	OH_TEST_BACKENDS=sqlite $(BIN)/pytest -n $(TEST_WORKERS) -m "not slow and not serial" \
		tests/health tests/ml tests/services

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check health models api ml tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	bash scripts/system-deps.sh bench
	$(BIN)/python -m benchmarks

# Page strings: extract them from api/web and merge new ones into each language's .po file.
messages: install
	$(BIN)/pybabel extract -F api/web/babel.cfg -o api/web/locale/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i api/web/locale/messages.pot -d api/web/locale --no-fuzzy-matching --omit-header

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
