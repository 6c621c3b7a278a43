# Portefølje: `make run` serves the demo, `make test` runs the whole suite. Both set themselves up.
# DEBUG is off unless set (config/settings.py); the development targets below turn it on for themselves.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install system-deps lint format migrate demo worker clean messages load designsystemet

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# axe-core for the accessibility checks in the browser tests (package.json); skipped where npm is missing.
node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm mangler: tilgjengelighetssjekkene (axe-core) hoppes over"; fi

# Digdir's Designsystemet, vendored as built CSS so that `make run` needs neither Node nor a CDN (the CSP allows
# style-src 'self' only). Updates static/vendor/designsystemet/ from the version package.json allows.
DS := node_modules/@digdir/designsystemet-css
designsystemet:
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/designsystemet
	cp $(DS)/dist/src/index.css static/vendor/designsystemet/designsystemet.css
	cp $(DS)/dist/theme/designsystemet.css static/vendor/designsystemet/theme.css
	cp $(DS)/LICENSE static/vendor/designsystemet/LICENSE
	node -p '"@digdir/designsystemet-css " + require("./$(DS)/package.json").version' > static/vendor/designsystemet/VERSION
	@cat static/vendor/designsystemet/VERSION

# System packages: Chromium for the browser tests, Pango and fonts for WeasyPrint.
# Installed when missing and possible (root with apt-get); otherwise the browser tests skip and say why.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	for p in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerer systempakker:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Mangler systempakker:$$missing (kan ikke installere uten root og apt-get)"; \
	  fi; \
	fi

# Development: the demo with its "demo" passwords (DEMO_ALLOWED follows DEBUG), plain HTTP, no SECRET_KEY needed.
# An explicit DEBUG=0 in the environment wins.
migrate demo run messages worker: export DEBUG ?= 1

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py setup_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Translations: collect the UI strings into locale/en, then (after translating) compile them.
messages: $(STAMP)
	$(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=benchmarks
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=node_modules

lint: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The suite runs with the development defaults (plain-HTTP test client, demo users); the production defaults
# (DEBUG off) are tested in subprocesses by tests/config/test_security_settings.py.
test: export DEBUG ?= 1
test: $(STAMP) system-deps node_modules/.installed
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

# Load test (benchmarks/load.py): generated data in a throw-away PostgreSQL database, gunicorn with 2 workers,
# Locust. Options through LOAD_ARGS, e.g. `make load LOAD_ARGS="--scale 100 --run-time 20s"`.
$(VENV)/.installed-load: pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e ".[load]"
	touch $@

load: $(VENV)/.installed-load
	$(PY) benchmarks/load.py $(LOAD_ARGS)

# Production-style background worker (needs REDIS_URL).
worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --beat --loglevel=info

clean:
	rm -rf $(VENV) var/staticfiles
