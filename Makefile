# kg92 — two commands from a fresh clone: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.kg92-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install build validate serve test lint bench bench-scale clean browser test-virtuoso

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Front-end assets of the query editor (YASGUI, pinned in package-lock.json) from the npm registry; `kg92 build`
# copies them into build/ui/. A failure is not fatal: the editor page falls back to a plain editor.
$(NPM_STAMP): package.json package-lock.json
	(command -v npm >/dev/null && npm ci --ignore-scripts --no-audit --no-fund && touch $(NPM_STAMP)) \
	  || echo "npm ci failed: the query editor will be the plain editor" >&2

install: $(STAMP) $(NPM_STAMP)

# Debian's chromium for the browser tests (Playwright's Python package drives it; no browser download).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# PNGs of every page family at 1280 px and 390 px in build/screenshots/ (not committed), for a review
.PHONY: screenshots
screenshots: build browser
	$(BIN)/python tools/screenshots.py

# Rebuilds only when an input changed (kg92 build compares input hashes with build/manifest.json).
build: install
	$(BIN)/kg92 build

validate: install
	$(BIN)/kg92 validate

serve: build
	$(BIN)/kg92 serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests tools bench server.py

# The suite runs in TEST_WORKERS processes (pytest-xdist; default: one per core), each taking whole test files
# (--dist loadfile: a file's module-scoped servers and browser are started once); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: build lint browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# kg92 over Virtuoso (issue 15; .ci/run runs it after `make test`): Debian's virtuoso-opensource-7-bin on 127.0.0.1, loaded
# by `kg92 publish`, the canned queries' exact-row tests and the W3C protocol runner over it (tools/virtuoso.sh).
test-virtuoso: build
	command -v virtuoso-t >/dev/null || apt-get install -y --no-install-recommends virtuoso-opensource-7-bin
	BIN=$(BIN) sh tools/virtuoso.sh

# Benchmarks print figures (medians, ratios); they also need the `oxigraph` server to compare with.
bench: build
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

# Scale benchmark (issue 18): synthetic N-fold data, build phases, RSS, sizes, rebuild, cold start, every canned query
# with both bindings. N=50/100 builds take many minutes: `bench/scale.py --n 100 --store-only` times the queries only.
SCALE_N ?= 1,10
bench-scale: install
	$(BIN)/python bench/scale.py --n $(SCALE_N)

clean:
	rm -rf build .builds
