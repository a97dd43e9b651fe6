# FaireAvec — the two commands: `make demo` and `make test` (see README.md).
# They work on a fresh machine with Python 3.11, pip, gcc, node and apt:
# everything else (virtualenv, Python packages, Debian packages) is installed here.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/faireavec
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Chromium for the browser tests, gettext for the French catalogue; for the PDFs
# (WeasyPrint): Pango and HarfBuzz (text layout, font subsetting) and the fonts
# embedded in every PDF: Andika (made for beginning readers, full French
# coverage; faireavec/core/pdf.py) with DejaVu for any other character.
DEBIAN_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
                   fonts-sil-andika fonts-dejavu-core postgresql-client
PYTEST_WORKERS ?= 2

.PHONY: demo serve test bench venv system-deps env messages lint migrations-check translations-check \
        test-sqlite test-postgres test-e2e deploy-check bench-deps clean

$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt -c constraints.txt
	touch $@

venv: $(VENV)/.installed

# Debian packages (DEBIAN_PACKAGES above), installed when missing.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

env:
	@test -f .env || cp .env.example .env

messages: venv system-deps env
	$(MANAGE) compilemessages --ignore=.venv -v 0

demo: venv system-deps env messages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) demo
	@echo "Background tasks: a worker runs beside the server (manage.py db_worker)."
	@trap 'kill 0' EXIT; $(MANAGE) db_worker --interval 1 & $(MANAGE) runserver 127.0.0.1:8000

# Production-like, on this machine: gunicorn (several workers), PostgreSQL, Redis
# (cache, sessions, rate limits, task queue), an RQ task worker and the scheduler of
# the periodic tasks; settings from environment variables (scripts/serve.py,
# docs/DEPLOYING.md).
serve: venv system-deps env messages
	$(PY) scripts/serve.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# The layers (core < accounts < organisations < feature apps): .importlinter
	$(VENV)/bin/lint-imports --no-cache

migrations-check: venv env
	$(MANAGE) makemigrations --check --dry-run

# The French catalogue is regenerated from the code, must compile, and may hold
# no untranslated or fuzzy entry.
translations-check: venv system-deps env
	$(PY) scripts/check_translations.py

test-sqlite: venv env messages
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test-postgres: venv env messages
	@if $(PY) scripts/postgres_ready.py "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q; \
	elif [ -n "$$CI" ]; then \
	  echo "ERROR: CI is set and PostgreSQL does not answer at $(PG_URL): the suite must run on it."; \
	  exit 1; \
	else \
	  echo "NOTICE: PostgreSQL does not answer at $(PG_URL): the PostgreSQL run is skipped (it is required when CI is set)."; \
	fi

test-e2e: venv system-deps env messages
	$(VENV)/bin/pytest e2e -q -p no:xdist

deploy-check: venv
	DEBUG=0 SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=faireavec.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

test: lint migrations-check translations-check test-sqlite test-postgres test-e2e deploy-check
	@echo "All checks passed."

# Benchmarks run the peers they compare with (bench/requirements.txt, pinned in
# bench/constraints.txt) in the same run, on the same input.
bench-deps: venv
	@if [ -s bench/requirements.txt ]; then $(PIP) install --quiet -r bench/requirements.txt -c bench/constraints.txt -c constraints.txt; fi

bench: venv env messages bench-deps
	@status=0; for b in bench/bench_*.py; do \
	  [ -e "$$b" ] || { echo "No benchmark yet."; break; }; \
	  echo "== $$b"; $(PY) "$$b" || status=1; \
	done; exit $$status

clean:
	rm -rf $(VENV) var/*.sqlite3*
