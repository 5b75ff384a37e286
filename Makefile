# 好差评 — the two commands a newcomer needs: `make run` and `make test` (see README).
SHELL := /bin/bash
UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint system-packages

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

test: install system-packages
	@bash scripts/check_services.sh
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
