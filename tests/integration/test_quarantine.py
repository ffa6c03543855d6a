"""One crafted bad file per quarantine reason, all landed in one real run: each bad record is
kept out of the marts with a reason naming the field and value, and every load is conserved.
A record whose only problem is a secondary field (an unknown belligerent) stays, degraded.
Each file's good record states many deaths, so that one bad record keeps out less than the 1 %
of its load's deaths that fails the build (expectations/suites/kept_out.yml)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers import incident, write_citations, write_incidents

FUTURE = (date.today() + timedelta(days=30)).isoformat()

# file name -> (bad record, expected reason)
BAD_FILES = {
    "incidents_epoch.csv": (
        {"airwars_id": "101", "incident_date": "1970-01-01"},
        "incident_date 1970-01-01 is before 2011-01-01, impossible for this conflict",
    ),
    "incidents_undated.csv": ({"airwars_id": "102", "incident_date": ""}, "incident_date is empty"),
    "incidents_future.csv": (
        {"airwars_id": "103", "incident_date": FUTURE},
        f"incident_date {FUTURE} is in the future",
    ),
    "incidents_not_a_date.csv": (
        {"airwars_id": "104", "incident_date": "17/03/2017"},
        "incident_date '17/03/2017' is not a date (YYYY-MM-DD)",
    ),
    "incidents_non_numeric.csv": (
        {"airwars_id": "105", "civilians_killed_max": "about 40"},
        "civilians_killed_max is not a whole number ('about 40')",
    ),
    "incidents_negative.csv": (
        {"airwars_id": "106", "civilians_killed_min": "-2"},
        "civilians_killed_min is negative (-2)",
    ),
    "incidents_min_above_max.csv": (
        {"airwars_id": "107", "civilians_killed_min": "9", "civilians_killed_max": "5"},
        "civilians_killed_min 9 exceeds civilians_killed_max 5",
    ),
}
DEGRADED_FILE = "incidents_unknown_belligerent.csv"
DEGRADED = {"airwars_id": "108", "belligerents": "Martian Navy"}
MANY_DEATHS = {"civilians_killed_min": "500", "civilians_killed_max": "1000"}


@pytest.fixture(scope="module")
def quarantine_run(tmp_path_factory):
    from helpers import isolate

    root = tmp_path_factory.mktemp("quarantine")
    landing = root / "landing"
    for number, (name, (bad, _)) in enumerate(sorted(BAD_FILES.items())):
        good = incident(airwars_id=str(500 + number), incident_code=f"G{number}", **MANY_DEATHS)
        write_incidents(landing, name, [good, incident(incident_code=f"B{number}", **bad)])
    write_incidents(
        landing,
        DEGRADED_FILE,
        [
            incident(airwars_id="600", incident_code="D0", **MANY_DEATHS),
            incident(incident_code="D1", **DEGRADED),
        ],
    )
    write_incidents(
        landing,
        "incidents_repeated_key.csv",
        [
            incident(airwars_id="200", incident_code="R1"),
            incident(airwars_id="200", incident_code="R2"),
            incident(airwars_id="201", incident_code="R3", **MANY_DEATHS),
        ],
    )
    write_citations(
        landing,
        "incident_sources.csv",
        [
            {"incident_code": "G0", "source_order": "1", "source_name": "Step News"},
            {"incident_code": "G0", "source_order": "x", "source_name": "Step News"},
            {"incident_code": "B0", "source_order": "1", "source_name": "Step News"},
        ],
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = isolate(monkeypatch, landing, root / "warehouse" / "civcas.duckdb")
        report = env.run()
        yield env, report


@pytest.mark.full_runs(1)
def test_run_still_publishes(quarantine_run):
    env, report = quarantine_run
    assert report.success, report.lines()
    # each bad file's good record, both records of the degraded file, the repeated file's good one
    assert env.query("select count(*) from marts.fct_civilian_harm_reports") == [
        (len(BAD_FILES) + 3,)
    ]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_quarantines_its_bad_record(quarantine_run, name):
    env, _ = quarantine_run
    bad, reason = BAD_FILES[name]
    rows = env.query(
        "select record_key, reason, row_number from audit.rejected_records where source_file = ?",
        [f"airwars/{name}"],
    )
    assert rows == [(f"airwars_id={bad['airwars_id']}", reason, 2)]
    assert env.query(
        "select rows_in, rows_accepted, rows_rejected from audit.loads where source_file = ?",
        [f"airwars/{name}"],
    ) == [(2, 1, 1)]


def test_a_key_repeated_inside_one_file_rejects_every_copy(quarantine_run):
    env, _ = quarantine_run
    assert env.query(
        "select row_number, reason from audit.rejected_records"
        " where source_file = 'airwars/incidents_repeated_key.csv' order by row_number"
    ) == [
        (1, "airwars_id 200 appears 2 times in this file"),
        (2, "airwars_id 200 appears 2 times in this file"),
    ]


def test_bad_citations_are_quarantined(quarantine_run):
    env, _ = quarantine_run
    reasons = env.query(
        "select row_number, reason from audit.rejected_records"
        " where source_file = 'airwars/incident_sources.csv' order by row_number"
    )
    assert reasons == [
        (2, "source_order 'x' is not a whole number"),
        (3, "incident_code B0 is not an accepted incident (missing or quarantined)"),
    ]
    assert env.query("select report_id, citation_order from marts.fct_report_citations") == [
        ("airwars:500", 1)
    ]


def test_conservation_holds_for_every_load(quarantine_run):
    env, _ = quarantine_run
    assert env.query(
        "select count(*) from audit.loads where rows_in <> rows_accepted + rows_rejected"
    ) == [(0,)]
    assert env.query(
        "select count(*) from audit.load_reconciliation"
        " where rows_in <> rows_landed or rows_in <> rows_accounted_for"
    ) == [(0,)]
    assert env.query("select count(*) from audit.loads") == [(len(BAD_FILES) + 3,)]


def test_an_unknown_belligerent_keeps_the_record_alleged_as_unmapped(quarantine_run):
    env, _ = quarantine_run
    assert env.query(
        "select belligerent_id from marts.bridge_report_belligerents"
        " where report_id = 'airwars:108'"
    ) == [("unmapped",)]
    assert env.query(
        "select field, value_as_written, reason from audit.field_issues"
        " where report_id = 'airwars:108'"
    ) == [
        (
            "belligerents",
            "Martian Navy",
            "belligerents 'Martian Navy' not in seeds/belligerent_aliases.csv: alleged against"
            " unmapped",
        )
    ]
    assert env.query("select * from audit.unmapped_names") == [
        ("airwars", "belligerents", "Martian Navy", "seeds/belligerent_aliases.csv", 1)
    ]
