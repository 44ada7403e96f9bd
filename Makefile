# ctoready: `make run` serves the app; `make test` runs every check. Both set themselves up.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint typecheck pytest pytest-postgres bench messages clean cluster cluster-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	DEBUG=true $(BIN)/ctoready migrate --no-input -v0
	DEBUG=true $(BIN)/ctoready collectstatic --no-input -v0
	DEBUG=true $(BIN)/ctoready instrument import --shipped
	DEBUG=true $(BIN)/ctoready serve --port $${PORT:-8000}

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	SECRET_KEY=typecheck-only $(BIN)/mypy ctoready
	SECRET_KEY=typecheck-only $(BIN)/mypy --strict ctoready/scoring

# The suite runs on every core (pytest-xdist; each worker has its own test database);
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(PYTEST_WORKERS)

pytest: $(VENV)/.dev
	scripts/test-deps
	$(PYTEST) $(PYTEST_ARGS)

pytest-postgres: $(VENV)/.dev
	scripts/with-postgres $(PYTEST) -m "not browser" $(PYTEST_ARGS)

test: lint typecheck pytest pytest-postgres

# The production topology on this machine (docs/deployment.md): PostgreSQL, nginx, two app
# servers, two task workers, on 127.0.0.1 ports 25460-25463; all stopped on exit.
CLUSTER_PG_PORT ?= 25461
cluster: $(VENV)/.dev
	scripts/cluster-deps
	PGTEST_PORT=$(CLUSTER_PG_PORT) scripts/with-postgres $(BIN)/python deploy/cluster/cluster.py up

cluster-test: $(VENV)/.dev
	scripts/cluster-deps
	PGTEST_PORT=$(CLUSTER_PG_PORT) scripts/with-postgres $(BIN)/python deploy/cluster/cluster.py test

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run.py

# Refresh the French catalogue after changing interface text (needs GNU gettext).
messages: $(VENV)/.runtime
	cd ctoready && SECRET_KEY=messages ../$(BIN)/ctoready makemessages -l fr --no-obsolete \
	  -i "scoring/*" -i "guides/content/*"
	msgfmt --check -o ctoready/locale/fr/LC_MESSAGES/django.mo ctoready/locale/fr/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var/static var/test*.sqlite3
