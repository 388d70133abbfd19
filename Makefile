# Everything runs from the project's virtualenv, created and filled on first use.
PYTHON ?= python3
VENV := .venv
INSTALLED := $(VENV)/.installed

# Settings in .env (see .env.example) reach every command below.
-include .env
export $(filter COMMERCE_%,$(.VARIABLES))

.PHONY: dev test lint sdl migrate

dev: $(INSTALLED)
	$(VENV)/bin/commerce dev

test: $(INSTALLED)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

sdl: $(INSTALLED)
	$(VENV)/bin/commerce export-sdl
	$(VENV)/bin/commerce compose

migrate: $(INSTALLED)
	$(VENV)/bin/commerce migrate

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml changes.
$(INSTALLED): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@
