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
from pydantic import PrivateAttr

from civcas import warehouse
from civcas.lake_writer import WriterLock
from civcas.settings import (
    BUILD_DB_ENV,
    BUILD_DIR_ENV,
    DBT_PROJECT_DIR,
    Settings,
    dbt_executable,
    load_settings,
)
from civcas.validation import Outcome, validate

# Every step that opens the build claims this pool; with max_concurrent 1 steps never overlap.
WAREHOUSE_POOL = "civcas_warehouse"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class WarehouseResource(dg.ConfigurableResource):
    """The published DuckDB warehouse and, within a run, this run's build of it.

    Dagster sets the resource up once per run (every step runs in the run's process): the
    settings are resolved then, the build is made on first use, and every step gets the same
    paths, connections and publish. Empty strings mean: take CIVCAS_WAREHOUSE /
    CIVCAS_LANDING_DIR or the repository defaults.
    """

    warehouse_path: str = ""
    landing_dir: str = ""
    _settings: Settings | None = PrivateAttr(default=None)
    _run_id: str | None = PrivateAttr(default=None)
    _build: Path | None = PrivateAttr(default=None)
    _validation: Outcome | None = PrivateAttr(default=None)
    _writer: WriterLock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._settings = load_settings(self.warehouse_path, self.landing_dir)
        self._run_id = context.run.run_id if context.run is not None else None  # None: a sensor

    @property
    def settings(self) -> Settings:
        if self._settings is None:  # used before Dagster set it up (a direct call in a test)
            self._settings = load_settings(self.warehouse_path, self.landing_dir)
        return self._settings

    @property
    def run_id(self) -> str:
        if self._run_id is None:
            raise RuntimeError("the warehouse build exists only within a run")
        return self._run_id

    @property
    def build(self) -> Path:
        """This run's build: a copy of the published warehouse, made on first use. In lake mode
        the run first becomes the lake's one writer (civcas.lake_writer), waiting for a run that
        is, so that it copies that run's publish and its own publish lands on top of it."""
        if self._build is None:
            if self.settings.lake is not None and self._writer is None:
                self._writer = WriterLock(self.settings.lake, self.run_id).acquire()
            self._build = warehouse.ensure_build(self.settings, self.run_id)
        return self._build

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = warehouse.connect(self.build)
        try:
            yield con
        finally:
            con.close()

    def landed_this_run(self) -> bool:
        """True when a landing step of this run added a load to its build."""
        return warehouse.landed_since_copy(self.build)

    def discard(self) -> None:
        """Remove this run's build: it holds nothing the published warehouse does not (nor will
        this run publish: the next writer need not wait for it)."""
        warehouse.discard(self.settings, self.run_id)
        self._release_writer()

    def publish(self, notices: list[str] | None = None) -> Path | str:
        try:
            return warehouse.publish(self.settings, self.run_id, notices)
        finally:
            self._release_writer()  # the next run may copy what this one published

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._release_writer()  # a run that failed before publishing

    def _release_writer(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    @property
    def validation(self) -> Outcome | None:
        """The expectations' outcome on this run's build, once the checks step validated it."""
        return self._validation

    def validate(self) -> Outcome:
        self._validation = validate(self.build, self.run_id, self.settings.data_docs_dir)
        return self._validation

    @contextmanager
    def dbt_pointed_at_build(self) -> Iterator[Path]:
        """dbt runs in a subprocess that inherits this process's environment: its profile reads
        the build's file name from CIVCAS_BUILD_DB and civcas-dbt starts it in the build's folder
        (CIVCAS_BUILD_DIR). Both are set only while dbt runs (a run in-process must not leave
        later subprocesses pointed at its removed build). Yields dbt's target folder for this run
        (removed with the run's build folder)."""
        build = self.build
        pointing = {BUILD_DB_ENV: build.name, BUILD_DIR_ENV: str(build.parent)}
        previous = {name: os.environ.get(name) for name in pointing}
        os.environ.update(pointing)
        try:
            yield warehouse.dbt_target_dir(self.settings, self.run_id)
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
