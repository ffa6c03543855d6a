"""Publishing hardening (issue 11, cases 4 and 6): a foreign WAL never replays onto a new build,
and failed builds are bounded however many runs fail in a row."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import duckdb
from conftest import incident, write_incidents

from civcas.publish_guard import prune_failed_builds
from orchestration import warehouse as wh
from orchestration.settings import load_settings

ANALYST = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])  # read-write: the duckdb CLI's default
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute("create table main.scratch as select 42 as answer")
    con.execute("delete from marts.fct_civilian_harm_reports")
    con.close()
    """
)


def test_a_foreign_wal_is_moved_aside_and_reported(civcas_env):
    write_incidents(civcas_env.landing, "incidents_2020.csv", [incident()])
    assert civcas_env.run().success
    subprocess.run([sys.executable, "-c", ANALYST, str(civcas_env.warehouse)], check=True)
    wal = civcas_env.warehouse.with_name("civcas.duckdb.wal")
    assert wal.exists()

    write_incidents(
        civcas_env.landing,
        "incidents_2021.csv",
        [incident(airwars_id="900002", incident_code="T2")],
    )
    report = civcas_env.run()

    assert report.success, report.lines()
    assert not wal.exists()
    aside = list(civcas_env.warehouse.parent.glob("civcas.duckdb.wal.foreign-*"))
    assert len(aside) == 1
    assert any(
        line.startswith("  warning: civcas.duckdb.wal (") and str(aside[0]) in line
        for line in report.lines()
    )
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports") == [(2,)]
    assert civcas_env.query(
        "select count(*) from information_schema.tables where table_name = 'scratch'"
    ) == [(0,)]


def _failed_build(settings, run_id: str, age_seconds: float) -> None:
    path = wh.ensure_build(settings, run_id)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))


def test_failed_builds_stay_bounded_while_runs_keep_failing(civcas_env, monkeypatch):
    monkeypatch.setenv("CIVCAS_KEEP_FAILED_BUILDS", "2")
    settings = load_settings()
    for number in range(6):  # six runs failed one after another, an hour apart
        _failed_build(settings, f"failed-{number}", age_seconds=3600 * (7 - number))
        assert len(list(settings.builds_dir.glob("*.duckdb"))) <= 3
    wh.ensure_build(settings, "current")
    assert sorted(path.stem for path in settings.builds_dir.glob("*.duckdb")) == [
        "current",
        "failed-4",
        "failed-5",
    ]
    assert not list(settings.builds_dir.glob("failed-0.*"))


def test_a_build_in_use_or_just_touched_is_spared(civcas_env):
    settings = load_settings()
    for number in range(3):
        _failed_build(settings, f"old-{number}", age_seconds=7200 + number)
    _failed_build(settings, "between-steps", age_seconds=60)
    holder = duckdb.connect(str(wh.build_path(settings, "old-2")))  # oldest, but open
    try:
        removed = prune_failed_builds(settings.builds_dir, "current", keep=0)
    finally:
        holder.close()
    assert sorted(removed) == ["old-0", "old-1"]
    assert sorted(path.stem for path in settings.builds_dir.glob("*.duckdb")) == [
        "between-steps",
        "old-2",
    ]
