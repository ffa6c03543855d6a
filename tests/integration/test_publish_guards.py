"""Publishing hardening (issue 11, cases 4 and 6): a foreign WAL never replays onto a new build,
and failed builds are bounded however many runs fail in a row."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from helpers import incident, write_incidents

from civcas import warehouse as wh
from civcas.publish_guard import prune_failed_builds
from civcas.settings import load_settings

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


@pytest.mark.full_runs(1)
def test_a_foreign_wal_is_moved_aside_and_reported(one_incident_copy):
    civcas_env = one_incident_copy  # one incident published
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


HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print("open", flush=True)
    sys.stdin.read()
    con.close()
    """
)


def _failed_build(settings, run_id: str, age_seconds: float) -> None:
    wh.ensure_build(settings, run_id)
    stamp = time.time() - age_seconds
    folder = wh.run_dir(settings, run_id)
    for entry in [folder, *folder.rglob("*")]:
        os.utime(entry, (stamp, stamp))


def _run_folders(settings) -> list[str]:
    return sorted(
        folder.name
        for folder in settings.builds_dir.iterdir()
        if folder.is_dir() and not folder.name.startswith(".")
    )


def test_failed_builds_stay_bounded_while_runs_keep_failing(civcas_env, monkeypatch):
    monkeypatch.setenv("CIVCAS_KEEP_FAILED_BUILDS", "2")
    settings = load_settings()
    for number in range(6):  # six runs failed one after another, an hour apart
        _failed_build(settings, f"failed-{number}", age_seconds=3600 * (7 - number))
        assert len(_run_folders(settings)) <= 3
    wh.ensure_build(settings, "current")
    assert _run_folders(settings) == ["current", "failed-4", "failed-5"]
    assert not wh.run_dir(settings, "failed-0").exists()


def test_a_build_in_use_or_just_touched_is_spared(civcas_env, monkeypatch):
    monkeypatch.setenv("CIVCAS_KEEP_FAILED_BUILDS", "9")  # no pruning while the scene is set up
    settings = load_settings()
    for number in range(3):
        _failed_build(settings, f"old-{number}", age_seconds=7200 + number)
    _failed_build(settings, "between-steps", age_seconds=60)
    # The oldest, but held open by another process (a lock within this process is not seen).
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(wh.build_path(settings, "old-2"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        removed = prune_failed_builds(
            settings.builds_dir, "current", settings.warehouse.name, keep=0
        )
    finally:
        holder.communicate("")
    assert sorted(removed) == ["old-0", "old-1"]
    assert _run_folders(settings) == ["between-steps", "old-2"]
