"""What tests share besides fixtures: the repository's paths, crafted Airwars files, and civcas
isolated in a folder of its own (fixtures live in the conftest.py files; test modules import these
names from here, never from a conftest)."""

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
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
SAMPLE_LANDING = REPO / "sample_data" / "landing"
# Debian's, driven by Playwright (never `playwright install`: it downloads a browser).
CHROMIUM = Path("/usr/bin/chromium")
GED_FILE = SAMPLE_LANDING / "ucdp_ged" / "ged191_syria_2016_2017.csv"
IRAQ_GED_FILE = SAMPLE_LANDING / "ucdp_ged" / "conflict_data_irq_2016_2017.csv"
SECRET_ENV = (
    "UCDP_ACCESS_TOKEN",
    "ACLED_API_KEY",
    "ACLED_EMAIL",
    "ACLED_USERNAME",
    "ACLED_PASSWORD",
)
# A shell that sourced .lake/env would point every test at that lake: tests choose their lake.
LAKE_ENV = ("CIVCAS_LAKE_CATALOG", "CIVCAS_LAKE_DATA", "CIVCAS_LAKE_S3_ENDPOINT", "PGPASSWORD")


# The bound of a plausible count as reasons state it (max_plausible_count, dbt_project.yml).
PLAUSIBLE_BOUND = "more than 1000000"


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


def isolate(
    monkeypatch: pytest.MonkeyPatch, landing: Path, warehouse: Path, run_history: str = "none"
) -> CivcasEnv:
    """civcas pointed at `landing` and `warehouse`. Its runs keep no Dagster run history unless
    `run_history` is "keep" (CIVCAS_RUN_HISTORY): only tests that read the instance need one."""
    monkeypatch.setenv("CIVCAS_LANDING_DIR", str(landing))
    monkeypatch.setenv("CIVCAS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CIVCAS_RUN_HISTORY", run_history)
    # Each test's instance is its own, never the repository's.
    monkeypatch.setenv("DAGSTER_HOME", str(warehouse.parent.parent / "dagster_home"))
    for name in SECRET_ENV + LAKE_ENV:
        monkeypatch.delenv(name, raising=False)
    return CivcasEnv(landing=landing, warehouse=warehouse)


def copy_env(
    env: CivcasEnv, root: Path, monkeypatch: pytest.MonkeyPatch, run_history: str = "none"
) -> CivcasEnv:
    """A private copy of a published build and its landing folder, to run again."""
    landing, warehouse = root / "landing", root / "warehouse" / "civcas.duckdb"
    shutil.copytree(env.landing, landing)
    warehouse.parent.mkdir(parents=True)
    shutil.copy(env.warehouse, warehouse)
    return isolate(monkeypatch, landing, warehouse, run_history)


def _session_root(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every pytest-xdist worker of this session shares (each worker's
    own is below it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_build(
    factory: pytest.TempPathFactory,
    name: str,
    fill_landing: Callable[[Path], None],
    run_history: str = "none",
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
                env = isolate(monkeypatch, root / "landing", _warehouse(root), run_history)
                # Tagged as `civcas run` tags a run of every file source: the publish records
                # the landing folder's fingerprint, and a copy of it is up to date.
                report = env.run(tags=landing_tags())
            made.write_bytes(pickle.dumps(report))
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield (
            isolate(monkeypatch, root / "landing", _warehouse(root), run_history),
            pickle.loads(made.read_bytes()),
        )


def _warehouse(root: Path) -> Path:
    return root / "warehouse" / "civcas.duckdb"


def expected_ucdp_reports(events: list[dict], months: set[str]) -> dict[str, tuple[int, int]]:
    """The UCDP scope and mapping rules re-implemented on the recordings, event by event: in
    scope with some civilian or unknown deaths; estimates out of order (low > best, best > high,
    civilians above best) only null the estimates since issue 23, the event stays."""
    out = {}
    for event in events:
        month = event["date_start"][:7]
        if month not in months or event["deaths_civilians"] + event["deaths_unknown"] == 0:
            continue
        out[f"ucdp:{event['id']}"] = (
            event["deaths_civilians"],
            event["deaths_civilians"] + event["deaths_unknown"],
        )
    return out


# Ledger quantities as written, each form of the conventions seed and its variants:
# (as written, min, max, best, convention)
FORMS = [
    ("at least 300", 300, None, 300, "at_least"),
    ("more than a dozen", 13, None, 13, "more_than"),
    ("dozens", 24, 99, 24, "dozens"),
    ("scores", 40, 199, 40, "scores"),
    ("several", 3, 9, 3, "several"),
    ("hundreds", 200, 999, 200, "hundreds"),
    ("around 40", 36, 44, 40, "around"),
    ("nearly 200", 180, 199, 199, "nearly"),
    ("up to 50", 1, 50, None, "up_to"),
    ("between 37 and 62", 37, 62, 50, "range"),
    ("thirteen", 13, 13, 13, "exact"),
    ("no civilians", 0, 0, 0, "none"),
    # variants: digits, commas, hyphenated words, trailing nouns, case and spacing
    ("198", 198, 198, 198, "exact"),
    ("1,200", 1200, 1200, 1200, "exact"),
    ("forty-two", 42, 42, 42, "exact"),
    ("At least  300 civilians", 300, None, 300, "at_least"),
    ("dozens of civilians", 24, 99, 24, "dozens"),
    ("37-62", 37, 62, 50, "range"),
    ("about a dozen", 10, 14, 12, "around"),
    ("no civilian deaths", 0, 0, 0, "none"),
]
