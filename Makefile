# Two commands on a fresh machine: `make run` (site on http://127.0.0.1:8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=wfc_platform.settings.test

.PHONY: install run dev test lint check pytest contract lock bench-search bench-register bench-pages lighthouse browser-tools clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e ".[test]"
	touch $@

EMBEDDED := DJANGO_SETTINGS_MODULE=wfc_platform.settings.embedded
DEV := DJANGO_SETTINGS_MODULE=wfc_platform.settings.dev
WEB_WORKERS ?= 3
WEB_BIND ?= 127.0.0.1:8000

# Migrate and seed the site for the settings given as $(1).
define prepare_site
	mkdir -p data
	$(1) $(MANAGE) migrate --noinput -v0
	$(1) $(MANAGE) createcachetable
	$(1) $(MANAGE) load_fixtures
	$(1) $(MANAGE) load_indicators
	$(1) $(MANAGE) setup_roles
	$(1) $(MANAGE) ensure_admin
endef

# The embedded default as a small office runs it: gunicorn with several workers, DEBUG off,
# static files collected and served by WhiteNoise, SQLite in WAL mode.
run: install
	$(call prepare_site,$(EMBEDDED))
	$(EMBEDDED) $(MANAGE) collectstatic --noinput -v0
	$(EMBEDDED) $(BIN)/gunicorn wfc_platform.wsgi:application --bind $(WEB_BIND) \
	  --workers $(WEB_WORKERS) --no-control-socket --access-logfile - --graceful-timeout 10

# Development: Django's server with reload and DEBUG on.
dev: install
	$(call prepare_site,$(DEV))
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	mkdir -p data
	$(TEST_SETTINGS) $(MANAGE) check --fail-level WARNING
	$(TEST_SETTINGS) $(MANAGE) makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

# The public API against its OpenAPI description: schemathesis on a live server (.ci/contract.py).
contract: install
	$(BIN)/python .ci/contract.py

test: lint check pytest contract

# Browser tests: axe-core from the npm registry (injected into pages); Chromium and CJK fonts come
# from Debian (`browser-tools` installs them; needs root, as in CI).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

browser-tools: node_modules/.installed
	@test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null)

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

bench-search: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

bench-register: install
	$(BIN)/python bench/register_bench.py $(BENCH_ARGS)

# req/s and p50/p99 of the main pages, cached and uncached, through gunicorn (needs `wrk`).
bench-pages: install
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# Lighthouse (mobile) on home, a case page and search: reports in test-artifacts/lighthouse/;
# fails unless accessibility, best practices and SEO are 100 (performance is reported).
lighthouse: install browser-tools
	$(BIN)/python .ci/lighthouse.py

clean:
	rm -rf $(VENV) data node_modules test-artifacts
