# Two commands: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Compiled translations, built from the catalogues in locale/ (Babel: no GNU gettext needed).
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.DEFAULT_GOAL := help
.PHONY: help run test lint format check-python migrate demo messages

help:
	@echo "make run    set up everything and serve http://127.0.0.1:$(PORT) with demo data"
	@echo "make test   run the whole test suite (PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff check and format check"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
		{ echo "Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
		       "Install 3.12 (pyenv reads .python-version) or run: make PYTHON=python3.12 ..."; exit 1; }

$(STAMP): pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

messages: $(MESSAGES)

locale/%.mo: locale/%.po $(STAMP)
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

run: export DEBUG ?= 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) $(MESSAGES)
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py rebuild_headlines
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) $(MESSAGES)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
