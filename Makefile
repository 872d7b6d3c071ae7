# The two quick-start commands: `make serve` and `make test`. Both install what they need
# into .venv first, so they work on a fresh clone with only python3 on the machine.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# Ports of `make room`: the learner edition (projector) and the facilitator edition.
PORT ?= 8000
FACILITATOR_PORT ?= 8001
# Address of the learner edition in `make room`: 0.0.0.0 lets participants join from phones.
HOST ?= 127.0.0.1

# No MkDocs 2 / Material end-of-life banner in front of a workshop room.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

# The browser tests drive Debian's Chromium; no test tool downloads a browser of its own.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: serve test check export install install-test room browser screenshots bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"

## Install and serve the sample storybook on http://127.0.0.1:$(PORT) (reloads after every edit).
## --dirty: a save rebuilds only the pages it changed; the storybook keeps the rest accurate.
serve: install
	$(BIN)/mkdocs serve --dirty --livereload -a 127.0.0.1:$(PORT)

## Install and run a workshop room: learner edition on http://127.0.0.1:8000 (for the projector),
## facilitator edition on http://127.0.0.1:8001 (for the facilitator's laptop); both reload.
room: install
	$(BIN)/storybook serve --room --port $(PORT) --facilitator-port $(FACILITATOR_PORT) --host $(HOST)

## Debian's Chromium for the browser tests, installed once if it is missing (as root, with apt).
browser:
	@test -x $(CHROMIUM) || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

## Install what the tests need and run them all: ruff, mypy --strict, pytest (browser tests too).
test: install-test browser
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

## Retake the README's screenshots with the browser tests (writes screenshots/*.png).
screenshots: install-test browser
	STORYBOOK_SCREENSHOTS=screenshots $(BIN)/python -m pytest -q tests/browser/test_reading.py \
		tests/browser/test_room_views.py -k "screenshots or large_plain or accessible_and_fits"

## Benchmark builds and live edits against plain MkDocs (several minutes; see README, Performance).
## Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 100,1000 --serve-sizes 300".
## Then the first page of storybook serve and --room, cold and warm, beside plain mkdocs serve
## (bench/serve_bench.py; SERVE_BENCH_ARGS="--size 1000 --refresh-sizes 3000").
bench: install
	$(BIN)/python bench/build_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/serve_bench.py $(SERVE_BENCH_ARGS)
