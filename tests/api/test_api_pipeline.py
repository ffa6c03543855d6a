"""`civcas run --source ucdp|acled --month ...` end to end: real Dagster runs, real dbt, real GX,
published warehouse; the only stand-in is the fake API server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date

import pytest
from fake_api.fixtures import point_at
from fake_api.server import ACLED_BEARER, ACLED_PASSWORD, UCDP_TOKEN, Fault
from helpers import REPO, SAMPLE_LANDING, expected_ucdp_reports, incident, write_incidents

from civcas.cli import main


def file_sources(landing) -> None:
    """A one-incident Airwars drop plus the bundled ledger files (the file sources)."""
    write_incidents(landing, "incidents.csv", [incident()])
    shutil.copytree(SAMPLE_LANDING / "ledger", landing / "ledger")


def cli(capsys, *args: str) -> tuple[int, str]:
    code = main(["run", *args])
    return code, capsys.readouterr().out


@pytest.mark.full_runs(2)
def test_months_of_both_apis_are_fetched_replaced_and_published(
    civcas_env, api_env, capsys, monkeypatch
):
    file_sources(civcas_env.landing)
    apis = api_env.apis

    # 1. Release 24.1 of March 2017 and the first ACLED export of March.
    monkeypatch.setenv("CIVCAS_UCDP_VERSION", "24.1")
    code, out = cli(
        capsys, "--month", "2017-03"
    )  # every source: a fresh warehouse needs the file ones
    assert code == 0, out
    older = {
        row[0]: row[1]
        for row in civcas_env.query(
            "select report_id, civilians_killed_min from marts.fct_civilian_harm_reports"
            " where source = 'ucdp'"
        )
    }

    # 2. Release 25.1 of February to April in ONE run over a partition range; ACLED revised.
    monkeypatch.setenv("CIVCAS_UCDP_VERSION", "25.1")
    apis.acled_dataset = "revised"
    code, out = cli(capsys, "--source", "ucdp", "--source", "acled",
                    "--month", "2017-04", "--month", "2017-02", "--month", "2017-03")  # fmt: skip
    assert code == 0, out
    assert out.count("succeeded; published") == 1 and "run for months" not in out

    expected = expected_ucdp_reports(apis.ucdp["25.1"], {"2017-02", "2017-03"})
    assert len(expected) == 50  # 38 before issue 23: 12 had only unknown deaths or odd estimates
    published = {row[0]: (row[1], row[2]) for row in civcas_env.query(
        "select report_id, civilians_killed_min, civilians_killed_max"
        " from marts.fct_civilian_harm_reports"
        " where source = 'ucdp'")}  # fmt: skip
    assert published == expected
    # Two events were revised in release 25.1: the marts show 25.1, audit shows 24.1 superseded.
    pairs = zip(apis.ucdp["24.1"], apis.ucdp["25.1"], strict=True)
    revised = [f"ucdp:{new['id']}" for old, new in pairs
               if old != new]  # fmt: skip
    assert len(revised) == 2
    for report_id in revised:
        assert older[report_id] == expected[report_id][0] - 1
        event_id = report_id.split(":")[1]
        assert civcas_env.query(
            "select count(*) from audit.rejected_records where record_key = ? and reason like ?",
            [f"id={event_id},release=24.1", f"superseded by release 25.1 of id {event_id}%"],
        ) == [(1,)]
    assert len(older) == len(expected_ucdp_reports(apis.ucdp["24.1"], {"2017-03"}))
    # Quarantined with a reason a person can act on.
    reasons = dict(civcas_env.query(
        "select record_key, reason from audit.rejected_records where source = 'ucdp'"
        " and record_key like '%release=25.1' and reason not like 'out of scope%'"))  # fmt: skip
    # Event 210004's low above its best no longer quarantines it; with no civilian and no
    # unknown deaths it is out of scope.
    assert "id=210004,release=25.1" not in reasons
    assert reasons["id=210009,release=25.1"] == (
        "date_start 2017-02-27 is outside the requested month 2017-03"
        " (the event belongs to month 2017-02)"
    )
    assert civcas_env.query(
        "select report_id from marts.fct_civilian_harm_reports where report_id = 'ucdp:210009'"
    ) == [("ucdp:210009",)]

    # ACLED: the revised event replaced the older one, and audit says so.
    assert civcas_env.query(
        "select civilians_killed_min, civilians_killed_max from marts.fct_civilian_harm_reports"
        " where report_id = 'acled:SYR2174'"
    ) == [(None, 9)]
    assert civcas_env.query(
        "select count(*) from marts.fct_civilian_harm_reports where source = 'acled'"
    ) == [(6,)]
    assert civcas_env.query(
        "select reason from audit.rejected_records where record_key = 'event_id_cnty=SYR2174'"
        " and reason like 'replaced by a newer version%'"
    )[0][0].startswith("replaced by a newer version: timestamp 1491004000 -> 1493000000")

    # No duplicates in raw, ever; conservation holds for every load, the replaced ones included.
    assert civcas_env.query(
        "select count(*), count(distinct event_id_cnty) from raw.acled_events"
    ) == [(12, 12)]
    assert civcas_env.query(
        "select count(*) from raw.ucdp_ged_events"
        " group by _source_file like 'ucdp/24.1/%' order by 1"
    ) == [(60,), (69,)]
    assert civcas_env.query(
        "select source, count(*), sum(rows_in), count(*) filter (where rows_in != rows_landed"
        " or rows_in != rows_accounted_for) from audit.load_reconciliation"
        " where source in ('ucdp', 'acled') group by 1 order by 1"
    ) == [
        # ACLED: the months' pages, and the first run's (empty) page of the deletions feed; the
        # second run's page of it was the same, so nothing was landed again.
        ("acled", 3 + 1 + 3 + 1 + 1, 24, 0),
        ("ucdp", 12 + 2 + 12 + 1, 60 + 9 + 60 + 0, 0),
    ]
    assert civcas_env.query(
        "select count(*) from audit.validation_results"
        " where suite like 'ucdp%' or suite like 'acled%'"
        " group by success"
    ) == [(8,)]  # 4 expectations (the row rules are dbt tests), 2 runs, all passed
    assert (
        civcas_env.query(
            "select count(*) from marts.bridge_report_belligerents"
            " where belligerent_id = 'islamic_state'"
        )[0][0]
        > 0
    )

    # A month fetched again that brings nothing new builds and publishes nothing (issue 26).
    release = civcas_env.warehouse.resolve()
    code, again = cli(capsys, "--source", "ucdp", "--month", "2017-03")
    assert code == 0, again
    run_line = next(line for line in again.splitlines() if line.startswith("run "))
    assert run_line.endswith(": succeeded; up to date: nothing landed, warehouse unchanged"), again
    loads = [line for line in again.splitlines() if line.startswith("  load: ")]
    assert loads and all(line.endswith("), skipped") for line in loads), again
    assert civcas_env.warehouse.resolve() == release
    run_id = run_line.split()[1].rstrip(":")
    assert not (civcas_env.warehouse.parent / ".builds" / run_id).exists()

    # Secrets appear nowhere: not in the published file, not in what the run printed.
    blob = civcas_env.warehouse.read_bytes()
    for secret in (UCDP_TOKEN, ACLED_PASSWORD, ACLED_BEARER):
        assert secret.encode() not in blob
        assert secret not in out


@pytest.mark.full_runs(2)
def test_without_credentials_the_default_run_passes_with_one_line_per_api_source(
    fake_apis, civcas_env, capsys, monkeypatch
):
    point_at(monkeypatch, fake_apis, credentials=False)
    file_sources(civcas_env.landing)
    fake_apis.clear()
    code, out = cli(capsys)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:2] == [
        "acled: skipped: ACLED_EMAIL and ACLED_PASSWORD are not set (see docs/api_sources.md)",
        "ucdp: skipped: UCDP_ACCESS_TOKEN is not set (see docs/api_sources.md)",
    ]
    assert fake_apis.requests == []
    assert civcas_env.query(
        "select source, count(*) from marts.fct_civilian_harm_reports"
        " where source != 'ledger' group by 1"
    ) == [("airwars", 1)]
    # With --month but still no token: the same single line, and the build is published.
    code, out = cli(capsys, "--source", "ucdp", "--month", "2017-03")
    assert (
        code == 0
        and out.splitlines()[0]
        == "ucdp: skipped: UCDP_ACCESS_TOKEN is not set (see docs/api_sources.md)"
    )


@pytest.mark.full_runs(3)
def test_a_run_killed_between_pages_resumes_at_the_next_page(civcas_env, api_env, capsys):
    file_sources(civcas_env.landing)
    hold = api_env.apis.inject(Fault("ucdp", 7, "hold"))
    child = subprocess.Popen(
        [sys.executable, "-m", "civcas.cli"]
        + ["run", "--source", "ucdp", "--month", "2017-03"],
        cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert hold.seen.wait(120), "the run never asked for page 8"
        os.killpg(child.pid, signal.SIGKILL)  # a crash: no cleanup runs
        child.wait(30)
    finally:
        hold.release.set()
    assert not civcas_env.warehouse.exists()  # nothing was published
    cached = sorted(
        p.name for p in (civcas_env.warehouse.parent / ".api_pages").rglob("page-*.json")
    )
    assert cached == [f"page-{n:04d}.json" for n in range(7)]

    api_env.apis.clear()
    code, out = cli(
        capsys,
        "--source",
        "airwars",
        "--source",
        "ledger",
        "--source",
        "ucdp",
        "--month",
        "2017-03",
    )
    assert code == 0, out
    assert api_env.apis.pages_requested("ucdp") == [7, 8, 9, 10, 11]
    assert civcas_env.query("select count(*), count(distinct id) from raw.ucdp_ged_events") == [
        (60, 60)
    ]
    assert civcas_env.query("select count(*) from raw._loads where source = 'ucdp'") == [(12,)]
    # Published: the next run starts afresh (the cache of a published month is dropped).
    code, out = cli(capsys, "--source", "ucdp", "--month", "2017-03")
    assert code == 0 and api_env.apis.pages_requested("ucdp")[-12:] == list(range(12))
    assert "already landed" in out and not list(
        (civcas_env.warehouse.parent / ".api_pages").rglob("page-*")
    )


def test_a_failing_month_fails_the_run_and_publishes_nothing(civcas_env, api_env, capsys):
    file_sources(civcas_env.landing)
    api_env.apis.inject(Fault("ucdp", 3, "malformed"))
    code, out = cli(capsys, "--source", "ucdp", "--month", "2017-03")
    assert code == 1
    assert "FAILED; NOT published" in out
    assert "ucdp 25.1 2017-03 page 4 of 12 (page=3): malformed or truncated JSON" in out
    assert not civcas_env.warehouse.exists()


def test_months_are_validated_before_anything_runs(civcas_env, capsys):
    cases = (
        ("2017-3", "is not a month written YYYY-MM"),
        ("2010-12", "is before 2011-01"),
        (f"{date.today().year + 1}-01", "is in the future"),
    )
    for bad, message in cases:
        try:
            main(["run", "--source", "ucdp", "--month", bad])
        except SystemExit as error:
            assert message in str(error)
        else:
            raise AssertionError(bad)
    assert json.dumps([])  # nothing ran: no warehouse
    assert not civcas_env.warehouse.exists()
