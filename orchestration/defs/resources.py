"""The resources every step shares: this run's warehouse build and the dbt CLI; one writer at a
time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject

from civcas import warehouse
from civcas.settings import (
    BUILD_DB_ENV,
    BUILD_DIR_ENV,
    DBT_PROJECT_DIR,
    Settings,
    dbt_executable,
    load_settings,
)

# Every step that opens the build claims this pool; with max_concurrent 1 steps never overlap.
WAREHOUSE_POOL = "civcas_warehouse"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class WarehouseResource(dg.ConfigurableResource):
    """The published DuckDB warehouse and this run's build of it.

    Empty strings mean: take CIVCAS_WAREHOUSE / CIVCAS_LANDING_DIR or the repository defaults.
    """

    warehouse_path: str = ""
    landing_dir: str = ""

    @property
    def settings(self) -> Settings:
        return load_settings(self.warehouse_path, self.landing_dir)

    def build_path(self, run_id: str) -> Path:
        return warehouse.ensure_build(self.settings, run_id)

    @contextmanager
    def build_connection(self, run_id: str) -> Iterator[duckdb.DuckDBPyConnection]:
        with warehouse.build_connection(self.settings, run_id) as con:
            yield con

    def publish(self, run_id: str, notices: list[str] | None = None) -> Path:
        return warehouse.publish(self.settings, run_id, notices)

    @contextmanager
    def dbt_pointed_at_build(self, run_id: str) -> Iterator[Path]:
        """dbt runs in a subprocess that inherits this process's environment: its profile reads
        the build's file name from CIVCAS_BUILD_DB and civcas-dbt starts it in the build's folder
        (CIVCAS_BUILD_DIR). Both are set only while dbt runs (a run in-process must not leave
        later subprocesses pointed at its removed build). Yields dbt's target folder for this run
        (removed with the run's build folder)."""
        build = self.build_path(run_id)
        pointing = {BUILD_DB_ENV: build.name, BUILD_DIR_ENV: str(build.parent)}
        previous = {name: os.environ.get(name) for name in pointing}
        os.environ.update(pointing)
        try:
            yield warehouse.dbt_target_dir(self.settings, run_id)
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def dbt_resource() -> DbtCliResource:
    # civcas-dbt is dbt that dies with the run's process (civcas/dbt_child.py).
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(dbt_executable().with_name("civcas-dbt")),
    )


# DuckDB allows one read-write process, so steps run one at a time; in the run's own process,
# as `civcas run` runs them: a process per step would start Python, Dagster and the definitions
# again for each of the seven steps (about 7 s each) and change nothing else.
one_writer_executor = dg.in_process_executor


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "dbt": dbt_resource(),
        },
        executor=one_writer_executor,
    )
