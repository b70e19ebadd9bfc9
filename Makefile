# `make demo` and `make test` each set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qpr demo

test: $(STAMP)
	scripts/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	scripts/with-postgres sh -c '$(BIN)/python bench/import_values.py && $(BIN)/python bench/evidence.py && $(BIN)/python bench/ack_latency.py'

clean:
	rm -rf $(VENV) qpr.sqlite3* qpr-demo .pytest_cache
