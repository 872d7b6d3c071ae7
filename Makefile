# The two quick-start commands: `make serve` and `make test`. Both install what they need
# into .venv first, so they work on a fresh clone with only python3 on the machine.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

# No MkDocs 2 / Material end-of-life banner in front of a workshop room.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve test check export install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"

## Install and serve the sample storybook on http://127.0.0.1:8000 (reloads after every edit).
serve: install
	$(BIN)/mkdocs serve --livereload -a 127.0.0.1:8000

## Install what the tests need and run them all: ruff, mypy --strict, pytest.
test: install-test
	$(BIN)/ruff check storybook tests bench
	$(BIN)/ruff format --check storybook tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

## Check every story and template, as trainers do.
check: install
	$(BIN)/storybook check

## Write the site as a plain source into export/, for engines that skip our plugin (Zensical).
export: install
	$(BIN)/storybook export export/
