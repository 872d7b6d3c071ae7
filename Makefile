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
# Port of `make guide`, beside those of the room.
GUIDE_PORT ?= 8002

# No MkDocs 2 / Material end-of-life banner in front of a workshop room.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

# The browser tests drive Debian's Chromium; no test tool downloads a browser of its own.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: serve test check export install install-test room browser screenshots bench
.PHONY: pango

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python pango
	$(BIN)/python -m pip install -q -e .

install-test: $(BIN)/python pango
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

## Pango, which WeasyPrint lays out `storybook pdf`'s pages with, installed once if it is
## missing (as root, with apt). Without it the site still builds; only storybook pdf says so.
pango:
	@$(PYTHON) -c "import ctypes; ctypes.CDLL('libpango-1.0.so.0'); ctypes.CDLL('libpangoft2-1.0.so.0')" 2>/dev/null \
		|| { command -v apt-get >/dev/null && apt-get update -q \
			&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0; } \
		|| echo "storybook pdf needs Pango: install it with your system's packages (macOS: brew install pango)"

## Install what the tests need and run them all: ruff, mypy --strict, pytest (browser tests too).
test: install-test browser scorm-runtime
	$(BIN)/ruff check storybook tests bench
	$(BIN)/ruff format --check storybook tests bench
	$(BIN)/ruff check guide/hooks && $(BIN)/ruff format --check guide/hooks
	$(BIN)/mypy
	$(BIN)/mypy guide/hooks
	$(BIN)/python -m pytest

## scorm-again, the SCORM run-time the package tests play the LMS with: from the npm registry,
## at the version tests/scorm/package-lock.json pins (npm itself installed once if missing).
SCORM_RUNTIME := tests/scorm/node_modules/.package-lock.json
.PHONY: scorm-runtime
scorm-runtime: $(SCORM_RUNTIME)
$(SCORM_RUNTIME): tests/scorm/package.json tests/scorm/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; }
	npm ci --prefix tests/scorm --no-audit --no-fund

## Check every story and template, as trainers do.
check: install
	$(BIN)/storybook check

## Write the site as a plain source into export/, for engines that skip our plugin (Zensical).
export: install
	$(BIN)/storybook export export/

## Retake the screenshots of the README and the guide with the browser tests (writes screenshots/*.png).
screenshots: install-test browser
	STORYBOOK_SCREENSHOTS=screenshots $(BIN)/python -m pytest -q tests/browser/test_reading.py \
		tests/browser/test_room_views.py -k "screenshots or large_plain or accessible_and_fits"

## Benchmark builds and live edits against plain MkDocs (several minutes; results in bench/RESULTS.md).
## Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 100,1000 --serve-sizes 300".
## Then the first page of storybook serve and --room, cold and warm, beside plain mkdocs serve
## (bench/serve_bench.py; SERVE_BENCH_ARGS="--size 1000 --refresh-sizes 3000").
bench: install
	$(BIN)/python bench/build_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/serve_bench.py $(SERVE_BENCH_ARGS)

.PHONY: guide
## Install and serve the user guide (guide/) on http://127.0.0.1:$(GUIDE_PORT); make test builds it.
guide: install
	$(BIN)/mkdocs serve --strict -f guide/mkdocs.yml -a 127.0.0.1:$(GUIDE_PORT)
