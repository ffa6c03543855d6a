"""Shared fixtures: isolated warehouses and landing folders, crafted Airwars files, real runs."""

from __future__ import annotations

import csv
import fcntl
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

if TYPE_CHECKING:
    from civcas.report import RunReport

REPO = Path(__file__).resolve().parent.parent
SAMPLE_LANDING = REPO / "sample_data" / "landing"
SECRET_ENV = (
    "UCDP_ACCESS_TOKEN",
    "ACLED_API_KEY",
    "ACLED_EMAIL",
    "ACLED_USERNAME",
    "ACLED_PASSWORD",
)
# A shell that sourced .lake/env would point every test at that lake: tests choose their lake.
LAKE_ENV = ("CIVCAS_LAKE_CATALOG", "CIVCAS_LAKE_DATA", "CIVCAS_LAKE_S3_ENDPOINT", "PGPASSWORD")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Tests read the Dagster asset graph from dbt's manifest: refresh it if the project changed
    since `make setup` (once, before any pytest-xdist worker starts)."""
    from civcas.dbt_manifest import ensure_manifest

    if not hasattr(session.config, "workerinput"):
        ensure_manifest()


# The tests of a module with a module-scoped build run on one pytest-xdist worker (`make test`
# runs four, `--dist loadgroup`): the module's build is then made once. The marks must be there
# before xdist reads them: tryfirst (tests/test_xdist_groups_upstream.py). Session builds are
# shared between workers on disk instead (shared_build).
#
# Then the tests that make the most full runs (`@pytest.mark.full_runs(n)`) go first, a group
# with its longest test, so that no long test starts last while the other workers idle
# (`make test` keeps this order: --no-loadscope-reorder).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = item._fixtureinfo.name2fixturedefs.values()
        if any(defs[-1].scope == "module" for defs in fixtures):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    runs: dict[str, int] = {}
    for item in items:
        runs[_group(item)] = max(runs.get(_group(item), 0), _full_runs(item))
    items.sort(key=lambda item: -runs[_group(item)])  # stable: otherwise as collected


def _group(item: pytest.Item) -> str:
    marker = item.get_closest_marker("xdist_group")
    return marker.args[0] if marker else item.nodeid


def _full_runs(item: pytest.Item) -> int:
    marker = item.get_closest_marker("full_runs")
    return marker.args[0] if marker else 0


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
    for name in SECRET_ENV + LAKE_ENV:
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


def _session_root(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every pytest-xdist worker of this session shares (each worker's
    own is below it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_build(
    factory: pytest.TempPathFactory, name: str, fill_landing: Callable[[Path], None]
) -> Iterator[tuple[CivcasEnv, RunReport]]:
    """One real run on the landing folder `fill_landing` writes, made once per test session: the
    first worker that needs it makes it, the others wait for it and read the same files. Tests
    only read it; to run again, a test copies it (copy_env)."""
    root = _session_root(factory) / f"shared-{name}"
    made = root / "report.pickle"
    with open(root.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            shutil.rmtree(root, ignore_errors=True)  # left half made by a worker that crashed
            fill_landing(root / "landing")
            from orchestration.run import landing_tags

            with pytest.MonkeyPatch.context() as monkeypatch:
                env = _isolate(monkeypatch, root / "landing", _warehouse(root))
                # Tagged as `civcas run` tags a run of every file source: the publish records
                # the landing folder's fingerprint, and a copy of it is up to date.
                report = env.run(tags=landing_tags())
            made.write_bytes(pickle.dumps(report))
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield (
            _isolate(monkeypatch, root / "landing", _warehouse(root)),
            pickle.loads(made.read_bytes()),
        )


def _warehouse(root: Path) -> Path:
    return root / "warehouse" / "civcas.duckdb"


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """One real run of the whole graph on a copy of the bundled sample data."""
    yield from shared_build(
        tmp_path_factory, "bundled", lambda landing: shutil.copytree(SAMPLE_LANDING, landing)
    )


@pytest.fixture(scope="session")
def one_incident(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """A first run that publishes one valid incident (tests run again on their own copy)."""
    yield from shared_build(
        tmp_path_factory,
        "one_incident",
        lambda landing: write_incidents(landing, "incidents_2020.csv", [incident()]),
    )


@pytest.fixture
def one_incident_copy(one_incident, tmp_path, monkeypatch) -> CivcasEnv:
    env, first = one_incident
    assert first.success, first.lines()
    return copy_env(env, tmp_path / "copy", monkeypatch)
