# Trygg: `make run` starts the platform with the demo municipality; `make test` is what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TRYGG_DEBUG ?= 1

.PHONY: run test lint install install-test demo worker bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/trygg migrate --noinput
	$(BIN)/trygg load-demo --if-empty
	$(BIN)/trygg runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/trygg worker

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install-test lint
	$(BIN)/python scripts/run_tests.py

bench: install-test
	$(BIN)/python bench/import_events.py
	$(BIN)/python bench/import_memory.py
	$(BIN)/python bench/situation.py
	$(BIN)/python bench/hotspots.py
	$(BIN)/python bench/http_load.py
	$(BIN)/python bench/walks_field.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# Update the English catalogue from the Swedish source strings and compile every catalogue in
# trygg/locale (commit the .po and the .mo). Needs GNU gettext (apt-get install gettext);
# running Trygg does not, as the compiled .mo files are committed.
LOCALE_IGNORE := --ignore=.venv --ignore=bench --ignore=var
.PHONY: messages
messages: install
	$(BIN)/python manage.py makemessages -l en $(LOCALE_IGNORE) && $(BIN)/python manage.py compilemessages $(LOCALE_IGNORE)
