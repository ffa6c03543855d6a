"""Bad records in files, crafted into one landing folder and three real runs, each test asserting
its own records.

Run 1 holds one crafted bad file per quarantine reason: each bad record is kept out of the marts
with a reason naming the field and value, and every load is conserved. A record whose only problem
is a secondary field (an unknown belligerent) stays, degraded. Each file's good record states many
deaths, so that one bad record keeps out less than the 1 % of its load's deaths that fails the
build (expectations/suites/kept_out.yml).

Beside them, values that cannot be what they claim are never a cast error and never a silent NULL,
and a poison record blocks nothing else: a key fact that cannot be read quarantines the record
with a reason; a secondary one is nulled and listed in audit.field_issues, the record stays.
Runs 2 and 3: re-dropping an earlier Airwars export makes it current again, and a newer UCDP GED
file drop wins. (Poison values of the UCDP API: test_unreadable_values.py.)"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import (
    GED_FILE,
    PLAUSIBLE_BOUND,
    incident,
    isolate,
    query,
    write_citations,
    write_incidents,
)

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


# Key facts that cannot be read: the record is quarantined. Neither states a civilian figure
# that counts (the 1 % check of expectations/suites/kept_out.yml weighs deaths kept out).
POISON_INCIDENTS = {
    "900014": (
        {"civilians_killed_max": "99999999999999999999"},
        "civilians_killed_max 99999999999999999999 is beyond any plausible count"
        f" ({PLAUSIBLE_BOUND})",
    ),
    "900017": (
        {
            "incident_date": "2017-03-17 garbage",
            "civilians_killed_min": "",
            "civilians_killed_max": "",
        },
        "incident_date '2017-03-17 garbage' is not a date (YYYY-MM-DD)",
    ),
}
# Secondary fields that cannot be read: the record stays, the field nulled, one field issue.
DEGRADED_INCIDENTS = {
    "900010": ({"latitude": "NaN"}, "latitude 'NaN' is not a number between -90 and 90"),
    "900011": ({"longitude": "inf"}, "longitude 'inf' is not a number between -180 and 180"),
    "900012": (
        {"latitude": "33512349"},
        "latitude '33512349' is not a number between -90 and 90",
    ),
    "900013": ({"latitude": "33,51"}, "latitude '33,51' is not a number between -90 and 90"),
    "900015": (
        {"incident_date_end": "2017-02-30"},
        "incident_date_end '2017-02-30' is not a date (YYYY-MM-DD)",
    ),
    "900016": (
        {"last_modified": "yesterday"},
        "last_modified 'yesterday' is not a date (YYYY-MM-DD)",
    ),
}


def write_quarantine_files(landing: Path) -> None:
    """One file per quarantine reason, the degraded file, a key repeated in one file, and
    citations, two of them bad."""
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


def _reasons(warehouse: Path, source_file: str) -> dict[str, str]:
    return dict(
        query(
            warehouse,
            "select record_key, reason from audit.rejected_records where source_file = ?"
            " and reason not like 'superseded%' and reason not like 'replaced:%'",
            [source_file],
        )
    )


GED_EVENT = "244276"  # of the bundled UCDP GED file


def drop_ged(landing: Path, name: str, deaths: str) -> None:
    """A UCDP GED file drop of one bundled event, with `deaths` civilians."""
    with GED_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        row = next(r for r in reader if r["id"] == GED_EVENT)
    folder = landing / "ucdp_ged"
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerow({**row, "deaths_civilians": deaths, "best": "62", "high": "62"})


@dataclass
class Landings:
    """Three runs on one landing folder, and a copy of the published file after each."""

    reports: list
    published: list[Path]

    def query(self, run: int, sql: str, params: list | None = None) -> list[tuple]:
        return query(self.published[run], sql, params)


@pytest.fixture(scope="module")
def landings(tmp_path_factory) -> Iterator[Landings]:
    """Run 1: the quarantine files, Airwars export A (one valid incident beside poison records)
    and a GED file; run 2: the correction B and a newer GED file; run 3: export A dropped back."""
    root = tmp_path_factory.mktemp("landings")
    poison = [
        incident(airwars_id=airwars_id, incident_code=f"P{airwars_id}", **fields)
        for airwars_id, (fields, _) in (POISON_INCIDENTS | DEGRADED_INCIDENTS).items()
    ]
    export_a = [incident(civilians_killed_min="3", last_modified="2020-01-01"), *poison]
    export_b = [incident(civilians_killed_min="4", last_modified="2020-06-01")]
    steps = (
        (export_a, lambda landing: drop_ged(landing, "ged_a.csv", "50")),
        (export_b, lambda landing: drop_ged(landing, "ged_b.csv", "55")),
        (export_a, lambda landing: None),
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = isolate(monkeypatch, root / "landing", root / "warehouse" / "civcas.duckdb")
        write_quarantine_files(env.landing)
        out = Landings(reports=[], published=[])
        for run, (rows, drop) in enumerate(steps, start=1):
            write_incidents(env.landing, EXPORT, rows)
            drop(env.landing)
            out.reports.append(env.run())
            out.published.append(shutil.copy(env.warehouse, root / f"after-run-{run}.duckdb"))
        yield out


EXPORT = "incidents.csv"  # Airwars exports A and B, one after the other
REPORTS = "select report_id, civilians_killed_min from marts.fct_civilian_harm_reports"
# Run 1's reports of the quarantine files: each bad file's good record, both records of the
# degraded file, the repeated file's good one.
QUARANTINE_REPORTS = {
    *(f"airwars:{500 + number}" for number in range(len(BAD_FILES))),
    "airwars:600",
    "airwars:108",
    "airwars:201",
}
QUARANTINE_FILES = {
    *(f"airwars/{name}" for name in BAD_FILES),
    f"airwars/{DEGRADED_FILE}",
    "airwars/incidents_repeated_key.csv",
    "airwars/incident_sources.csv",
}
# Run 1's reports of export A: its valid incident and the degraded records, no poison one.
EXPORT_A_REPORTS = {"airwars:900001", *(f"airwars:{key}" for key in DEGRADED_INCIDENTS)}


@pytest.mark.full_runs(3)
def test_run_still_publishes(landings):
    assert landings.reports[0].success, landings.reports[0].lines()
    reports = {row[0] for row in landings.query(0, REPORTS + " where source = 'airwars'")}
    assert reports == QUARANTINE_REPORTS | EXPORT_A_REPORTS
    assert len(QUARANTINE_REPORTS) == len(BAD_FILES) + 3


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_quarantines_its_bad_record(landings, name):
    bad, reason = BAD_FILES[name]
    rows = landings.query(
        0,
        "select record_key, reason, row_number from audit.rejected_records where source_file = ?",
        [f"airwars/{name}"],
    )
    assert rows == [(f"airwars_id={bad['airwars_id']}", reason, 2)]
    assert landings.query(
        0,
        "select rows_in, rows_accepted, rows_rejected from audit.loads where source_file = ?",
        [f"airwars/{name}"],
    ) == [(2, 1, 1)]


def test_a_key_repeated_inside_one_file_rejects_every_copy(landings):
    assert landings.query(
        0,
        "select row_number, reason from audit.rejected_records"
        " where source_file = 'airwars/incidents_repeated_key.csv' order by row_number",
    ) == [
        (1, "airwars_id 200 appears 2 times in this file"),
        (2, "airwars_id 200 appears 2 times in this file"),
    ]


def test_bad_citations_are_quarantined(landings):
    reasons = landings.query(
        0,
        "select row_number, reason from audit.rejected_records"
        " where source_file = 'airwars/incident_sources.csv' order by row_number",
    )
    assert reasons == [
        (2, "source_order 'x' is not a whole number"),
        (3, "incident_code B0 is not an accepted incident (missing or quarantined)"),
    ]
    assert landings.query(
        0,
        "select report_id, citation_order from marts.fct_report_citations"
        " where report_id like 'airwars:%'",
    ) == [("airwars:500", 1)]


def test_conservation_holds_for_every_load(landings):
    assert landings.query(
        0, "select count(*) from audit.loads where rows_in <> rows_accepted + rows_rejected"
    ) == [(0,)]
    assert landings.query(
        0,
        "select count(*) from audit.load_reconciliation"
        " where rows_in <> rows_landed or rows_in <> rows_accounted_for",
    ) == [(0,)]
    loaded = {row[0] for row in landings.query(0, "select source_file from audit.loads")}
    assert loaded == QUARANTINE_FILES | {f"airwars/{EXPORT}", "ucdp_ged/ged_a.csv"}
    assert len(QUARANTINE_FILES) == len(BAD_FILES) + 3


def test_an_unknown_belligerent_keeps_the_record_alleged_as_unmapped(landings):
    assert landings.query(
        0,
        "select belligerent_id from marts.bridge_report_belligerents"
        " where report_id = 'airwars:108'",
    ) == [("unmapped",)]
    assert landings.query(
        0,
        "select field, value_as_written, reason from audit.field_issues"
        " where report_id = 'airwars:108'",
    ) == [
        (
            "belligerents",
            "Martian Navy",
            "belligerents 'Martian Navy' not in seeds/belligerent_aliases.csv: alleged against"
            " unmapped",
        )
    ]
    assert landings.query(0, "select * from audit.unmapped_names") == [
        ("airwars", "belligerents", "Martian Navy", "seeds/belligerent_aliases.csv", 1)
    ]


def test_poison_airwars_values_are_quarantined_with_a_reason(landings):
    assert landings.reports[0].success, landings.reports[0].lines()
    # Every Airwars report but those of the quarantine files: none of the poison records.
    assert landings.query(
        0,
        REPORTS + " where source = 'airwars' and report_id not in (select unnest(?)) order by 1",
        [sorted(QUARANTINE_REPORTS)],
    ) == [
        ("airwars:900001", 3),
        *((f"airwars:{airwars_id}", 3) for airwars_id in sorted(DEGRADED_INCIDENTS)),
    ]
    assert _reasons(landings.published[0], f"airwars/{EXPORT}") == {
        f"airwars_id={airwars_id}": reason for airwars_id, (_, reason) in POISON_INCIDENTS.items()
    }
    assert dict(
        landings.query(
            0,
            "select report_id, reason from audit.field_issues"
            " where source = 'airwars' and report_id <> 'airwars:108'",
        )
    ) == {f"airwars:{airwars_id}": reason for airwars_id, (_, reason) in DEGRADED_INCIDENTS.items()}
    # A position with one impossible half is no position.
    assert landings.query(
        0,
        "select latitude, longitude from marts.fct_civilian_harm_reports"
        " where report_id = 'airwars:900011'",
    ) == [(None, None)]


def test_an_earlier_export_dropped_back_is_current_again(landings):
    assert all(report.success for report in landings.reports)
    shown = [
        landings.query(run, REPORTS + " where report_id = 'airwars:900001'") for run in range(3)
    ]
    assert shown == [[("airwars:900001", 3)], [("airwars:900001", 4)], [("airwars:900001", 3)]]
    superseded = landings.query(
        2,
        "select reason from audit.rejected_records"
        " where record_key = 'airwars_id=900001' and reason like 'superseded%' order by load_id",
    )
    assert len(superseded) == 2  # the first A and B, both replaced by the last landing
    assert all(
        reason.startswith("superseded by a newer version of airwars_id 900001")
        for (reason,) in superseded
    )


def test_newer_ged_landing_wins(landings):
    assert landings.query(1, REPORTS + " where report_id = 'ucdp:244276'") == [("ucdp:244276", 55)]
    assert landings.query(2, REPORTS + " where report_id = 'ucdp:244276'") == [("ucdp:244276", 55)]
    assert landings.query(
        2,
        "select reason like 'superseded by release GED file drop of id 244276%'"
        " from audit.rejected_records where source = 'ucdp'",
    ) == [(True,)]
