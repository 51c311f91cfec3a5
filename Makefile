# Two commands: `make demo` runs the portal on embedded defaults; `make test` runs the suite on PostgreSQL + Redis.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DJANGO_DEBUG=1 PORTAL_DEMO=1
PYTEST_ARGS ?=
# pytest-xdist workers; each has its own test database (test_<name>_gwN) and its own cache key prefix.
PYTEST_WORKERS ?= auto

.PHONY: token demo test lint system-deps venv migrate-check bench bench-duplicates clean _pytest

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv missing; installing it"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt -c constraints.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt -c constraints.txt
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

# Libraries WeasyPrint needs for PDF output, and the PDF/text tools the tests read PDFs back with.
system-deps:
	@if ! ldconfig -p | grep -q libharfbuzz-subset || ! ldconfig -p | grep -q libpango-1.0; then \
	  echo "Installing WeasyPrint's system libraries"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null \
	  || echo "warning: could not install WeasyPrint libraries; PDF output will fail"; \
	fi

demo: $(VENV)/.installed
	@$(MAKE) --no-print-directory system-deps || true
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py load_reference_data
	$(DEMO_ENV) $(BIN)/python manage.py create_demo_accounts
	$(DEMO_ENV) $(BIN)/python manage.py load_demo_scenario
	@echo "API token for a demo account: make token USER=coordinator"
	@echo "Portal on http://127.0.0.1:8000/  (Ctrl-C stops it)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The demo's settings (DJANGO_DEBUG=1) for the README's management commands, e.g. an API token for a demo account.
token: $(VENV)/.installed
	@test -n "$(USER)" || { echo "usage: make token USER=<username>"; exit 2; }
	@$(DEMO_ENV) $(BIN)/python manage.py drf_create_token "$(USER)"

test: $(VENV)/.installed-dev system-deps
	.ci/services.sh $(MAKE) --no-print-directory _pytest

# Runs inside .ci/services.sh, with DATABASE_URL, REDIS_URL and CELERY_BROKER_URL pointing at the live servers.
_pytest:
	DJANGO_SETTINGS_MODULE=osce_tnt.settings_test $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

bench: $(VENV)/.installed-dev
	.ci/services.sh $(BIN)/python bench/run.py

bench-duplicates: $(VENV)/.installed-dev
	.ci/services.sh $(BIN)/python bench/duplicates.py

clean:
	rm -rf $(VENV) db.sqlite3 .tmp media staticfiles
