# careerbench: `make run` and `make test` set everything up from nothing and are quick when done.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser run test lint typecheck unit bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@# LightGBM's wheel links the system's OpenMP runtime.
	@ldconfig -p | grep -q libgomp.so.1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgomp1 >/dev/null)
	@# Spark (the optional engine, tested by `make test`) runs on Java 17.
	@command -v java >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null)
	test -x $(BIN)/pip || $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	touch $(STAMP)

run: setup
	$(BIN)/careerbench ingest
	$(BIN)/careerbench train
	$(BIN)/careerbench benchmark --role ml-engineer --level senior --country US --base 180000
	@echo
	@echo "Starting the web app and the API (Ctrl-C to stop); the command line: $(BIN)/careerbench --help"
	$(BIN)/careerbench serve --host 127.0.0.1 --port 8000 --workers 2

# Browser tests drive Debian's Chromium (playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: lint typecheck browser unit

bench: setup
	$(BIN)/python benchmarks/bench_cohort.py
	$(BIN)/python benchmarks/bench_money.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_estimate.py
	$(BIN)/python benchmarks/bench_pages.py
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
