# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv run test lint typecheck pytest chromium nginx screenshot clean-venv bench bench-tools \
	bench-report reliability \
	vendor-assets static-assets

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/python -m app migrate
	$(BIN)/python -m app seed --if-empty
	$(BIN)/python -m app serve --host $(HOST) --port $(PORT)

test: venv chromium lint typecheck pytest

lint: venv
	$(BIN)/ruff check app tests migrations seeds bench reliability harness
	$(BIN)/ruff format --check app tests migrations seeds bench reliability harness

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install -y chromium'" >&2; exit 1; fi; \
	fi

# The reliability suite's proxy scenario puts Debian's nginx (with TLS) in front of the server;
# install it when it is missing and we may (the suite starts its own nginx, never the system's).
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl >/dev/null; \
	  else echo "nginx is missing: run 'sudo apt-get install -y nginx-light'" >&2; exit 1; fi; \
	fi

# Regenerates docs/country-page.png from the demo data (test runs take it into a temporary file).
screenshot: venv chromium
	SCREENSHOT_TO=$(CURDIR)/docs/country-page.png $(BIN)/pytest tests/browser -k screenshot

# The benchmarks (docs/benchmarks.md) need wrk from Debian and Datasette from the `bench` extra.
bench-tools: venv
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: run 'sudo apt-get install -y wrk' (or pass --tool python in BENCH_ARGS or BENCH_REPORT_ARGS)" >&2; fi; \
	fi
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'

# The load benchmark alone.
BENCH_ARGS ?= --figures 10000 100000 1000000 --databases sqlite postgres \
	--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres --json var/bench/results.jsonl
bench: bench-tools
	$(BIN)/python bench/load_benchmark.py $(BENCH_ARGS)

# Every benchmark in one run, printed as one table of ratios (var/bench/report.jsonl, .md, .svg);
# with --write-docs its table and chart go into docs/benchmarks.md and docs/benchmarks.svg.
BENCH_REPORT_ARGS ?= --figures 10000 100000 1000000 --databases sqlite postgres \
	--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres --write-docs
bench-report: bench-tools
	$(BIN)/python bench/report.py $(BENCH_REPORT_ARGS)

# Load, kill -9 crashes, a PostgreSQL outage, hostile input and the backup drill against the real
# server, on SQLite and PostgreSQL (docs/reliability.md); RELIABILITY_ARGS for smaller numbers.
RELIABILITY_ARGS ?= --database both --submissions 500 --clients 50 --crashes 10
reliability: venv nginx
	$(BIN)/python -m reliability.run $(RELIABILITY_ARGS)

clean-venv:
	rm -rf $(VENV)

# The browser scripts the repository carries, fetched from the npm registry (`npm pack` checks each
# tarball against the registry's integrity hash). The committed files are what the site serves and
# the tests run: nothing is fetched at run time. Plotly's geo bundle holds only the trace types the
# charts use (scatter, choropleth; scattergeo comes with it); its addresses of other hosts (CDN,
# cloud, logo link) are rewritten (app/web/http/vendored.py). Run `make static-assets` afterwards.
PLOTLY_PACKAGE := plotly.js-geo-dist-min@4.1.1
AXE_PACKAGE := axe-core@4.14.1
vendor-assets: venv
	rm -rf var/vendor && mkdir -p var/vendor/plotly var/vendor/axe
	cd var/vendor && npm pack --silent $(PLOTLY_PACKAGE) $(AXE_PACKAGE) >/dev/null
	tar -xzf var/vendor/plotly.js-geo-dist-min-*.tgz -C var/vendor/plotly
	tar -xzf var/vendor/axe-core-*.tgz -C var/vendor/axe
	cp var/vendor/plotly/package/plotly-geo.min.js static/vendor/plotly-geo.min.js
	$(BIN)/python -m app.web.http.vendored static/vendor/plotly-geo.min.js
	cp var/vendor/plotly/package/LICENSE static/vendor/LICENSE-plotly
	cp var/vendor/axe/package/axe.min.js tests/browser/vendor/axe.min.js
	cp var/vendor/axe/package/LICENSE tests/browser/vendor/LICENSE-axe-core
	cp var/vendor/axe/package/LICENSE-3RD-PARTY.txt tests/browser/vendor/LICENSE-axe-core-3RD-PARTY.txt
	rm -rf var/vendor

# The committed .br and .gz siblings of the large static files (static/vendor, static/geo): brotli's
# best quality takes seconds on them, so they are compressed once here rather than at every start.
static-assets: venv
	$(BIN)/python -m app.web.http.static_files
