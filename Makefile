# `make demo` and `make test` each set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench screenshots migration clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qpr demo

# Three workers, each taking whole files (a module's server and the demo's database are
# built once a worker): most tests wait on a server or a process rather than on the
# processor, so three keep two cores busy (about 3:00 here, against 3:30 with two).
PARALLEL ?= -n 3 --dist loadfile

test: $(STAMP)
	scripts/with-postgres $(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	scripts/with-postgres sh -c '$(BIN)/python bench/import_values.py && $(BIN)/python bench/evidence.py && $(BIN)/python bench/overview.py && $(BIN)/python bench/ack_latency.py && $(BIN)/python bench/ack_latency.py --rate 27 && $(BIN)/python bench/ack_latency.py --postgres "$$QPR_TEST_POSTGRES_URL" && $(BIN)/python bench/reminders.py && $(BIN)/python bench/burden.py && $(BIN)/python bench/people.py'

# The pictures in docs/, made afresh from the demo.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# A new migration from the difference between the models and the schema, for review:
#   make migration MESSAGE="what changed"
migration: $(STAMP)
	@test -n "$(MESSAGE)" || { echo 'usage: make migration MESSAGE="what changed"'; exit 2; }
	rm -f /tmp/qpr-migration.sqlite3
	$(BIN)/python -c 'import sys; from storage.db import make_engine; from storage import migrate; \
	e = make_engine("sqlite:////tmp/qpr-migration.sqlite3"); migrate.upgrade(e); \
	migrate.revision(e, sys.argv[1])' "$(MESSAGE)"

clean:
	rm -rf $(VENV) qpr.sqlite3* qpr-demo .pytest_cache
