"""Shared fixtures: isolated warehouses and landing folders, crafted Airwars files, real runs."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LANDING = REPO / "sample_data" / "landing"
SECRET_ENV = (
    "UCDP_ACCESS_TOKEN",
    "ACLED_API_KEY",
    "ACLED_EMAIL",
    "ACLED_USERNAME",
    "ACLED_PASSWORD",
)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Tests read the Dagster asset graph from dbt's manifest: refresh it if the project changed
    since `make setup` (once, before any pytest-xdist worker starts)."""
    from civcas.dbt_manifest import ensure_manifest

    if not hasattr(session.config, "workerinput"):
        ensure_manifest()


# Tests that read one shared build run on the worker that made it (`make test` runs four workers,
# `--dist loadgroup`): a session build is then made once, a module's build once. The marks must
# be there before xdist reads them: tryfirst (tests/test_xdist_groups_upstream.py).
SHARED_BUILDS = ("bundled_build", "ledger_build")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = next((name for name in SHARED_BUILDS if name in item.fixturenames), None)
        fixtures = item._fixtureinfo.name2fixturedefs.values()
        if group is None and any(defs[-1].scope == "module" for defs in fixtures):
            group = item.module.__name__
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _header(name: str) -> list[str]:
    with (SAMPLE_LANDING / "airwars" / name).open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


INCIDENT_HEADER = _header("incidents.csv")
CITATION_HEADER = _header("incident_sources.csv")

VALID_INCIDENT = {
    "incident_code": "T1",
    "airwars_id": "900001",
    "incident_date": "2017-02-10",
    "date_type": "date",
    "country": "Syria",
    "governorate": "Aleppo",
    "region": "Aleppo",
    "location": "al-Bab",
    "latitude": "36.37",
    "longitude": "37.52",
    "geolocation_accuracy": "town",
    "belligerents": "U.S.-led Coalition",
    "strike_status": "Likely strike",
    "grading": "Fair",
    "civilian_harm_reported": "Yes",
    "civilians_killed_min": "3",
    "civilians_killed_max": "5",
    "children_killed_min": "1",
    "children_killed_max": "2",
    "last_modified": "2020-01-01",
    "url": "https://airwars.org/civilian-casualties/t1/",
}


def incident(**fields: str) -> dict[str, str]:
    return {**VALID_INCIDENT, **fields}


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in header} for row in rows)
    return path


def write_incidents(landing: Path, name: str, rows: list[dict[str, str]]) -> Path:
    return write_csv(landing / "airwars" / name, INCIDENT_HEADER, rows)


def write_citations(landing: Path, name: str, rows: list[dict[str, str]]) -> Path:
    return write_csv(landing / "airwars" / name, CITATION_HEADER, rows)


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@dataclass
class CivcasEnv:
    landing: Path
    warehouse: Path

    def run(self, **kwargs):
        from orchestration.run import run_pipeline

        return run_pipeline(log_level="WARNING", **kwargs)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return query(self.warehouse, sql, params)


def _isolate(monkeypatch: pytest.MonkeyPatch, landing: Path, warehouse: Path) -> CivcasEnv:
    monkeypatch.setenv("CIVCAS_LANDING_DIR", str(landing))
    monkeypatch.setenv("CIVCAS_WAREHOUSE", str(warehouse))
    # Each test's runs go to its own persistent Dagster instance, never the repository's.
    monkeypatch.setenv("DAGSTER_HOME", str(warehouse.parent.parent / "dagster_home"))
    for name in SECRET_ENV:
        monkeypatch.delenv(name, raising=False)
    return CivcasEnv(landing=landing, warehouse=warehouse)


def copy_env(env: CivcasEnv, root: Path, monkeypatch: pytest.MonkeyPatch) -> CivcasEnv:
    """A private copy of a published build and its landing folder, to run again."""
    landing, warehouse = root / "landing", root / "warehouse" / "civcas.duckdb"
    shutil.copytree(env.landing, landing)
    warehouse.parent.mkdir(parents=True)
    shutil.copy(env.warehouse, warehouse)
    return _isolate(monkeypatch, landing, warehouse)


@pytest.fixture
def civcas_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CivcasEnv:
    """An empty landing folder and an unpublished warehouse, both private to the test."""
    landing = tmp_path / "landing"
    landing.mkdir()
    return _isolate(monkeypatch, landing, tmp_path / "warehouse" / "civcas.duckdb")


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """One real run of the whole graph on a copy of the bundled sample data."""
    root = tmp_path_factory.mktemp("bundled")
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = _isolate(monkeypatch, landing, root / "warehouse" / "civcas.duckdb")
        report = env.run()
        yield env, report
