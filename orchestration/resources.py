"""Dagster resources: the warehouse (build, connect, publish) and the dbt CLI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject

from orchestration import warehouse
from orchestration.settings import DBT_PROJECT_DIR, Settings, load_settings

# dbt lives beside this interpreter; make it findable when the virtualenv is not activated.
_BIN_DIR = str(Path(sys.executable).parent)
if _BIN_DIR not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_BIN_DIR, os.environ.get("PATH", "")])

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_project_file() -> float:
    files = [
        path
        for folder in ("models", "seeds", "macros", "tests")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ]
    files += [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    return max(path.stat().st_mtime for path in files)


def ensure_dbt_manifest() -> Path:
    """dbt's manifest defines the asset graph: parse the project when it is missing or stale."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_project_file():
        dbt_project.preparer.prepare(dbt_project)
    return manifest


class WarehouseResource(dg.ConfigurableResource):
    """The published DuckDB warehouse and this run's build of it.

    Empty strings mean: take CIVCAS_WAREHOUSE / CIVCAS_LANDING_DIR or the repository defaults.
    """

    warehouse_path: str = ""
    landing_dir: str = ""

    @property
    def settings(self) -> Settings:
        defaults = load_settings()
        return Settings(
            warehouse=Path(self.warehouse_path).resolve()
            if self.warehouse_path
            else defaults.warehouse,
            landing_dir=Path(self.landing_dir).resolve()
            if self.landing_dir
            else defaults.landing_dir,
        )

    def build_path(self, run_id: str) -> Path:
        return warehouse.ensure_build(self.settings, run_id)

    @contextmanager
    def build_connection(self, run_id: str) -> Iterator[duckdb.DuckDBPyConnection]:
        with warehouse.build_connection(self.settings, run_id) as con:
            yield con

    def publish(self, run_id: str, notices: list[str] | None = None) -> Path:
        return warehouse.publish(self.settings, run_id, notices)

    def point_dbt_at_build(self, run_id: str) -> Path:
        """dbt runs in a subprocess; its profile reads the build's path from CIVCAS_BUILD_DB."""
        path = self.build_path(run_id)
        os.environ["CIVCAS_BUILD_DB"] = str(path)
        return path


def dbt_resource() -> DbtCliResource:
    # civcas-dbt is dbt that dies with the run's process (civcas/dbt_child.py).
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(Path(sys.executable).parent / "civcas-dbt"),
    )
