# 好差评 — the two commands a newcomer needs: `make run` and `make test` (see README).
SHELL := /bin/bash
UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test test-replica lint system-packages messages

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

# The virtualenv with exactly the versions in uv.lock (dev tools included: tests, ruff).
install: $(UV)
	$(UV) sync --frozen --python $(PYTHON)

# Debian packages the browser tests need: Chromium, and CJK fonts so screenshots show Chinese.
system-packages:
	@bash scripts/system_packages.sh

run: install
	@bash scripts/run.sh

# TEST_TODAY=YYYY-MM-DD make test: the whole suite as if that day, 10:00 Beijing time, were today.
# PYTEST_ARGS passes anything else to pytest (e.g. PYTEST_ARGS="-m calendar").
test: install system-packages
	@bash scripts/check_services.sh
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Opt-in: tests/replica against a throw-away primary and its streaming standby on loopback
# (scripts/standby.sh; config/db_router.py). `make test` reports those tests as skipped.
test-replica: install
	@bash scripts/check_services.sh
	bash scripts/standby.sh $(VENV)/bin/pytest tests/replica $(PYTEST_ARGS)

# What CI checks besides the tests: lint, formatting, types, and that every model change has its migration.
lint: install system-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	@$(VENV)/bin/python scripts/ensure_db.py
	$(VENV)/bin/python manage.py makemigrations --check --dry-run
	$(VENV)/bin/python scripts/i18n_check.py

# After changing marked strings: re-extract locale/en, translate the new entries, then compile django.mo.
messages: install
	$(VENV)/bin/python scripts/i18n_check.py || true
	msgfmt --check-format -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
