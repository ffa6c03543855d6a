"""`civcas sql --as-of WHEN` in file mode: every publish is recorded, replaced releases are kept
for the retention, and WHEN (a date, a UTC time or a run id) picks the one current then (#28)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from civcas import publish_log
from civcas import warehouse as wh
from civcas.as_of import AsOfError, parse_when, publish_at
from civcas.cli import main
from civcas.settings import load_settings
from civcas.status import publish_lines

FIRST = "0a1b2c3d-0000-4000-8000-000000000001"
SECOND = "0a1b2c3d-0000-4000-8000-000000000002"
REPORTS = "marts.fct_civilian_harm_reports"


def _build_and_publish(settings, run_id: str, reports: int, at: datetime | None = None) -> None:
    path = wh.build_path(settings, run_id)
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        f"create table {REPORTS} as select range as report_id, [range, 1] as tags"
        f" from range({reports})"
    )
    con.close()
    wh.publish(settings, run_id)
    if at is not None:  # as if published then: rewrite the last log line's time
        lines = settings.publish_log.read_text().splitlines()
        entry = json.loads(lines[-1]) | {"published_at": at.isoformat()}
        settings.publish_log.write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")


@pytest.fixture
def two_publishes(civcas_env):
    settings = load_settings()
    _build_and_publish(settings, FIRST, 3, datetime(2026, 11, 30, 6, 0, tzinfo=UTC))
    _build_and_publish(settings, SECOND, 5, datetime(2026, 12, 2, 6, 0, tzinfo=UTC))
    return settings


def _count(capsys, *as_of: str) -> str:
    code = main(["sql", f"select count(*) as n from {REPORTS}", "--format", "csv", *as_of])
    captured = capsys.readouterr()
    out = " ".join(captured.out.split())
    err = captured.err.strip() if code else ""  # on success, stderr names the publish read
    return " ".join(part for part in (str(code), out, err) if part)


def test_as_of_answers_from_the_publish_current_then(two_publishes, capsys):
    assert _count(capsys) == "0 n 5"
    assert _count(capsys, "--as-of", "2026-11-30T06:00:00") == "0 n 3"
    assert _count(capsys, "--as-of", "2026-12-01") == "0 n 3"  # the end of that day
    assert _count(capsys, "--as-of", "2026-12-02") == "0 n 5"
    assert _count(capsys, "--as-of", "2026-12-02T05:59:59") == "0 n 3"
    assert main(["sql", "select 1", "--as-of", FIRST]) == 0
    assert capsys.readouterr().err == (
        f"civcas sql: as of {FIRST}: the warehouse published at 2026-11-30 06:00:00 UTC"
        f" by run {FIRST}\n"
    )
    assert _count(capsys, "--as-of", FIRST) == "0 n 3"
    # the two runs share their first 8 characters: the short id is ambiguous
    assert _count(capsys, "--as-of", SECOND[:8].upper()) == (
        "2 civcas sql: --as-of 0A1B2C3D: several runs start with it; give the whole id"
    )


def test_as_of_errors_are_one_clear_line(two_publishes, capsys):
    before = _count(capsys, "--as-of", "2026-11-29")
    assert before.startswith("2 civcas sql: --as-of 2026-11-29: nothing was published yet then;")
    assert "first publish was at 2026-11-30T06:00:00 UTC (run " + FIRST in before
    unknown = _count(capsys, "--as-of", "ffffffff")
    assert unknown == (
        "2 civcas sql: --as-of ffffffff: no publish by run ffffffff is recorded"
        " (`civcas status` lists the recent publishes)"
    )
    garbled = _count(capsys, "--as-of", "last tuesday")
    assert garbled.startswith("2 civcas sql: cannot read --as-of 'last tuesday': give a date")
    assert all(len(text.splitlines()) == 1 for text in (before, unknown, garbled))


def test_a_release_past_the_retention_is_removed_and_said_so(civcas_env, capsys, monkeypatch):
    monkeypatch.setenv("CIVCAS_KEEP_RELEASES_DAYS", "0")
    settings = load_settings()
    _build_and_publish(settings, FIRST, 3)
    _build_and_publish(settings, SECOND, 5)
    kept = [entry.name for entry in settings.releases_dir.iterdir() if entry.is_dir()]
    assert len(kept) == 1 and kept[0].endswith(SECOND)
    gone = _count(capsys, "--as-of", FIRST)
    assert gone.startswith("2 civcas sql: --as-of " + FIRST + ": the warehouse published at")
    assert "is no longer kept (releases are kept 0 days after they are replaced" in gone
    assert [line.split(": ", 1)[1] for line in publish_lines(settings)[1:]] == [
        "5 reports, kept",
        "3 reports, no longer kept",
    ]


def test_the_retention_keeps_a_release_until_its_successor_is_that_old(tmp_path):
    now = datetime.now(UTC)
    names = [
        publish_log.release_name(now - timedelta(days=days), run)
        for days, run in ((50, "a"), (40, "b"), (10, "c"), (0, "d"))
    ]
    releases = [tmp_path / name for name in names]
    from civcas.publish_guard import expired_releases

    # "a" was replaced 40 days ago, "b" 10 days ago: with 35 days only "a" goes.
    assert expired_releases(releases, 35 * 86400) == releases[:1]
    assert expired_releases(releases, 0) == releases[:3]


def test_every_publish_is_recorded_with_what_it_held(two_publishes):
    publishes = publish_log.read(two_publishes.publish_log)
    assert [(p.run_id, p.tables) for p in publishes] == [
        (FIRST, {REPORTS: 3}),
        (SECOND, {REPORTS: 5}),
    ]
    assert all(
        (two_publishes.releases_dir / p.release / "civcas.duckdb").exists() for p in publishes
    )
    assert os.readlink(two_publishes.warehouse).startswith(".published/")


def test_parse_when_reads_dates_times_and_run_ids():
    assert parse_when("2026-11-30").before == datetime(2026, 12, 1, tzinfo=UTC)
    assert not parse_when("2026-11-30").inclusive
    assert parse_when("2026-11-30T06:00:00").before == datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert parse_when("2026-11-30T07:00:00+01:00").before == datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert parse_when("2026-11-30T06:00:00Z").before == datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert parse_when(FIRST).run_id == FIRST
    assert parse_when("0A1B2C3D").run_id == "0a1b2c3d"
    with pytest.raises(AsOfError, match="cannot read --as-of '2026-13-01'"):
        parse_when("2026-13-01")


def test_a_run_id_prefix_shared_by_two_runs_is_refused():
    at = datetime(2026, 11, 30, tzinfo=UTC)
    publishes = [publish_log.Publish(run, at, f"r-{run}", {}) for run in (FIRST, SECOND)]
    with pytest.raises(AsOfError, match="several runs start with it"):
        publish_at(publishes, parse_when(FIRST[:8]))


def test_csv_prints_lists_and_structs_as_json(two_publishes, capsys):
    query = f"select tags, {{'k': report_id}} as s from {REPORTS} order by report_id limit 2"
    assert main(["sql", query, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "tags,s",
        '"[0,1]","{""k"":0}"',
        '"[1,1]","{""k"":1}"',
    ]
