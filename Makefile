# Two commands: `make demo` runs the portal on embedded defaults; `make test` runs the suite on PostgreSQL + Redis.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DJANGO_DEBUG=1 PORTAL_DEMO=1
PYTEST_ARGS ?=
# Extra pytest arguments for the fault scenarios (make reliability RELIABILITY_ARGS="-k redis").
RELIABILITY_ARGS ?=
# pytest-xdist workers; each has its own test database (test_<name>_gwN) and its own cache key prefix.
PYTEST_WORKERS ?= auto

.PHONY: token demo test e2e lint system-deps e2e-deps messages compilemessages venv migrate-check bench bench-smoke \
	bench-duplicates clean _pytest _e2e _bench-smoke production-check _production-check reliability _reliability load \
	backup restore
# Benchmark scale: 1 is the issue-14 data set (200,000 events ...); CI runs 0.01 through bench-smoke.
BENCH_SCALE ?= 1

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

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here) and gettext's msgfmt.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null; then \
	  echo "Installing chromium and gettext for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  apt-get install -y -qq chromium gettext fonts-dejavu-core >/dev/null; \
	fi

# Re-extract every translatable string into locale/*/LC_MESSAGES/django.po (new strings arrive untranslated and
# must be filled in: tests/test_translations.py fails on any empty or fuzzy Russian message), then compile.
messages: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=osce_tnt.settings_test $(BIN)/python manage.py makemessages --no-obsolete --no-location \
	  -l ru -l en -l fr -l de -i ".venv/*" -i "test-output/*" -i "tests/*" -i "bench/*" -i "scripts/*"
	$(BIN)/python scripts/po_fill_source.py locale/en/LC_MESSAGES/django.po
	@for lang in ru fr de; do msgfmt --statistics -o /dev/null locale/$$lang/LC_MESSAGES/django.po 2>&1 | sed "s/^/$$lang: /"; done
	@echo "Fill every empty or fuzzy Russian message in locale/ru/LC_MESSAGES/django.po (tests/test_translations.py checks)."
	@$(MAKE) --no-print-directory compilemessages

compilemessages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	DJANGO_SETTINGS_MODULE=osce_tnt.settings_test $(BIN)/python manage.py compilemessages -v0 -i ".venv" -i "test-output"

demo: $(VENV)/.installed
	@$(MAKE) --no-print-directory system-deps || true
	@$(MAKE) --no-print-directory compilemessages
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

# The whole suite, then (same servers) the browser suite, the production-install check and the benchmark smoke run
# (its own database, <name>_bench, so the benchmark cannot rot), then the fault scenarios, which start their own
# servers. make stops at the first goal that fails, so a red unit suite does not spend minutes in the browser, and
# any failure fails `make test`, so CI (.ci/run) fails with it.
test: $(VENV)/.installed-dev system-deps e2e-deps compilemessages
	.ci/services.sh $(MAKE) --no-print-directory _pytest _e2e _production-check _bench-smoke
	$(MAKE) --no-print-directory _reliability


# The browser suite (tests/e2e): Playwright on /usr/bin/chromium against a live server on PostgreSQL, with a real
# Celery worker for the meeting pack. Screenshots and axe results go to test-output/.
e2e: $(VENV)/.installed-dev system-deps e2e-deps compilemessages
	.ci/services.sh $(MAKE) --no-print-directory _e2e

_e2e:
	$(BIN)/pytest -m e2e -p no:xdist tests/e2e $(PYTEST_ARGS)

# Runs inside .ci/services.sh, with DATABASE_URL, REDIS_URL and CELERY_BROKER_URL pointing at the live servers.
_pytest:
	DJANGO_SETTINGS_MODULE=osce_tnt.settings_test $(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not e2e and not reliability" $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# A virtualenv built from requirements.txt alone runs a worker, a job and gunicorn (.ci/production-install.sh).
production-check: $(VENV)/.installed-dev system-deps
	.ci/services.sh .ci/production-install.sh

# Inside .ci/services.sh (make test runs it right after the suite, on the same servers).
_production-check:
	.ci/production-install.sh

# The fault scenarios of tests/reliability: each starts its own PostgreSQL, Redis, gunicorn, worker and beat.
reliability: $(VENV)/.installed-dev system-deps _reliability

_reliability:
	@command -v redis-server >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  apt-get install -y -qq redis-server >/dev/null; }
	@[ -x /usr/lib/postgresql/15/bin/initdb ] || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  apt-get install -y -qq postgresql-15 >/dev/null; }
	$(BIN)/pytest tests/reliability -m reliability -p no:cacheprovider -v $(RELIABILITY_ARGS)

# Mixed load against a production-like stack on loopback (bench/load.py): LOAD_USERS users for LOAD_SECONDS.
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
load: $(VENV)/.installed-dev system-deps
	$(BIN)/python bench/load.py --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

# Backups: pg_dump -Fc of DATABASE_URL plus a tar of DJANGO_MEDIA_ROOT, with a manifest (README "Backups").
backup: $(VENV)/.installed
	$(BIN)/python manage.py backup $(if $(BACKUP),--output $(BACKUP))

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<folder>"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

bench: $(VENV)/.installed-dev system-deps
	.ci/services.sh $(BIN)/python bench/run.py --scale $(BENCH_SCALE)

# The whole benchmark at N=0.01 with few requests, so it cannot rot; asserts no timings, fails only on errors.
bench-smoke: $(VENV)/.installed-dev system-deps
	.ci/services.sh $(MAKE) --no-print-directory _bench-smoke

# Runs inside .ci/services.sh (make test, make bench-smoke): every path and job once at N=0.01 with few requests.
# Asserts nothing about time; bench/run.py exits non-zero on any request error (status >= 400, connection error,
# no response) or failed job.
_bench-smoke:
	BENCH_RESCAN_SAMPLE=20 $(BIN)/python bench/run.py --scale 0.01 --requests 4 --budget 20 --deadline 1800 --strict

bench-duplicates: $(VENV)/.installed-dev
	.ci/services.sh $(BIN)/python bench/duplicates.py

clean:
	rm -rf $(VENV) db.sqlite3 .tmp media staticfiles
