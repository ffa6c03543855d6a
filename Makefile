# civcas: two commands from a fresh clone.
#   make run   - set up, then build and publish the warehouse from the bundled sample data
#   make test  - set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# dbt's manifest defines the Dagster asset graph and holds the SQL `civcas ledger check` runs:
# parse and compile again whenever the dbt project changes (civcas/dbt_manifest.py).
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := dbt_project/dbt_project.yml dbt_project/profiles.yml \
	$(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f 2>/dev/null)

.PHONY: setup run test lint dev benchmark clean lake lake-stop

setup: $(STAMP) $(MANIFEST)

$(STAMP): pyproject.toml requirements.lock
	@# Headless page checks drive Debian's chromium (no browser download); install it as root.
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium; fi
	@# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, every process would
	@# otherwise compile Dagster, dbt and GX from source again (about 5 s per civcas or dbt start).
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

$(MANIFEST): $(STAMP) $(DBT_FILES)
	$(BIN)/python -m civcas.dbt_manifest

run: setup
	$(BIN)/civcas run

# A lake on this machine under .lake/: a PostgreSQL cluster (catalog) and a data folder, the
# bundled data built into it; `. .lake/env` then points every civcas command at the lake
# (civcas/local_lake.py, docs/architecture.md). `make lake-stop` stops the cluster.
lake: setup
	$(BIN)/python -m civcas.local_lake start .lake
	. ./.lake/env && $(BIN)/civcas run

lake-stop:
	$(BIN)/python -m civcas.local_lake stop .lake

# tests/unit, tests/dbt, tests/api and tests/integration (README, "Development"). Four workers
# on two cores: a worker spends much of a test waiting (dbt's subprocess starting, files copied
# and fsynced, the daemon test polling). The tests of a module sharing a build stay on one worker
# (--dist loadgroup, groups from tests/conftest.py), and the groups making the most full runs
# start first (--no-loadscope-reorder keeps that order). Figures: docs/benchmarks.md.
test: setup
	$(BIN)/python -m pytest -n 4 --dist loadgroup --no-loadscope-reorder --durations=15

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

# The persistent instance civcas run writes to (.dagster_home/, or $$DAGSTER_HOME): the UI shows
# every run and the last materialization of every asset; its daemon runs the queue and sensors.
dev: setup
	DAGSTER_HOME="$$($(BIN)/python -m orchestration.instance)" $(BIN)/dagster dev

# The bundled run, the run with nothing new and the tools' start-up (benchmarks/fixed_costs.py),
# then civcas against plain DuckDB doing the same work, at 10k, 100k and 1M incidents (about 21 min);
# SIZES=10000,100000 for a subset. benchmarks/run_benchmark.py times one civcas run alone.
# Then the lake against the file at LAKE_SIZE incidents, and eight analysts querying while a run
# publishes, in each mode (benchmarks/lake_vs_file.py).
SIZES ?= 10000,100000,1000000
LAKE_SIZE ?= 1000000
benchmark: setup
	$(BIN)/python benchmarks/ratio.py --sizes $(SIZES)
	$(BIN)/python benchmarks/lake_vs_file.py --incidents $(LAKE_SIZE)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/.builds warehouse/docs
