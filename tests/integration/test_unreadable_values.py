"""Values that cannot be what they claim are never a cast error and never a silent NULL, and a
poison record blocks nothing else: a key fact that cannot be read quarantines the record with a
reason; a secondary one is nulled and listed in audit.field_issues, the record stays.
Re-dropping an earlier Airwars export makes it current again, and a newer UCDP GED file drop
wins."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_api import fixtures
from helpers import GED_FILE, expected_ucdp_reports, incident, isolate, query, write_incidents

from civcas.cli import main

api_env = fixtures.api_env
fake_apis = fixtures.fake_apis

BOUND = "more than 1000000"
# Key facts that cannot be read: the record is quarantined. Neither states a civilian figure
# that counts (the 1 % check of expectations/suites/kept_out.yml weighs deaths kept out).
POISON_INCIDENTS = {
    "900014": (
        {"civilians_killed_max": "99999999999999999999"},
        f"civilians_killed_max 99999999999999999999 is beyond any plausible count ({BOUND})",
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


def _reasons(warehouse: Path, source: str) -> dict[str, str]:
    return dict(
        query(
            warehouse,
            "select record_key, reason from audit.rejected_records where source = ?"
            " and reason not like 'superseded%' and reason not like 'replaced:%'",
            [source],
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

    def query(self, run: int, sql: str) -> list[tuple]:
        return query(self.published[run], sql)


@pytest.fixture(scope="module")
def landings(tmp_path_factory) -> Iterator[Landings]:
    """Run 1: Airwars export A (one valid incident beside poison records) and a GED file;
    run 2: the correction B and a newer GED file; run 3: export A dropped back."""
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
        out = Landings(reports=[], published=[])
        for run, (rows, drop) in enumerate(steps, start=1):
            write_incidents(env.landing, "incidents.csv", rows)
            drop(env.landing)
            out.reports.append(env.run())
            out.published.append(shutil.copy(env.warehouse, root / f"after-run-{run}.duckdb"))
        yield out


REPORTS = "select report_id, civilians_killed_min from marts.fct_civilian_harm_reports"


@pytest.mark.full_runs(3)
def test_poison_airwars_values_are_quarantined_with_a_reason(landings):
    assert landings.reports[0].success, landings.reports[0].lines()
    assert landings.query(0, REPORTS + " where source = 'airwars' order by 1") == [
        ("airwars:900001", 3),
        *((f"airwars:{airwars_id}", 3) for airwars_id in sorted(DEGRADED_INCIDENTS)),
    ]
    assert _reasons(landings.published[0], "airwars") == {
        f"airwars_id={airwars_id}": reason for airwars_id, (_, reason) in POISON_INCIDENTS.items()
    }
    assert dict(
        landings.query(
            0, "select report_id, reason from audit.field_issues where source = 'airwars'"
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


POISON_EVENTS = {
    # field changes of a March 2017 event of release 24.1, and the reason expected for it
    0: ({"latitude": "NaN"}, "latitude 'NaN' is not a number between -90 and 90"),
    1: ({"longitude": "inf"}, "longitude 'inf' is not a number between -180 and 180"),
    2: ({"latitude": 33512349}, "latitude '33512349' is not a number between -90 and 90"),
    3: ({"latitude": "33,51"}, "latitude '33,51' is not a number between -90 and 90"),
    4: (
        {"best": 99999999999999999999, "high": 99999999999999999999},
        f"best 99999999999999999999 is beyond any plausible count ({BOUND})",
    ),
    5: (
        {"date_end": "2017-03-30 garbage"},
        "date_end '2017-03-30 garbage' is not a date (YYYY-MM-DD)",
    ),
}


@pytest.mark.full_runs(1)
def test_poison_ucdp_values_never_block_other_records(civcas_env, api_env, capsys, monkeypatch):
    march = [
        event for event in api_env.apis.ucdp["24.1"] if event["date_start"].startswith("2017-03")
    ]
    poisoned = {}
    for index, (changes, reason) in POISON_EVENTS.items():
        march[index].update(changes)
        poisoned[march[index]["id"]] = reason
    monkeypatch.setenv("CIVCAS_UCDP_VERSION", "24.1")
    write_incidents(civcas_env.landing, "incidents.csv", [incident(longitude="inf")])

    code = main(["run", "--month", "2017-03"])

    assert code == 0, capsys.readouterr().out
    # Secondary fields only: no poisoned event is quarantined (issue 23; two of them are out of
    # scope, with neither civilian nor unknown deaths), each poison value is a field issue.
    reasons = _reasons(civcas_env.warehouse, "ucdp")
    for event_id in poisoned:
        reason = reasons.get(f"id={event_id},release=24.1")
        assert reason is None or reason.startswith("out of scope:"), reason
    published = {
        report_id
        for (report_id,) in civcas_env.query(
            "select report_id from marts.fct_civilian_harm_reports where source = 'ucdp'"
        )
    }
    assert published == set(expected_ucdp_reports(march, {"2017-03"}))
    issues = dict(
        civcas_env.query(
            "select report_id, string_agg(reason, '; ' order by field) from audit.field_issues"
            " where source = 'ucdp' group by report_id"
        )
    )
    in_marts = [event_id for event_id in poisoned if f"ucdp:{event_id}" in published]
    assert len(in_marts) == 4  # events 2 and 4 have no civilian and no unknown deaths
    for event_id in in_marts:
        # event 4's high is beyond the bound too: its issues list both
        assert poisoned[event_id] in issues[f"ucdp:{event_id}"]
    assert _reasons(civcas_env.warehouse, "airwars") == {}
    assert civcas_env.query(
        "select report_id, reason from audit.field_issues where source = 'airwars'"
    ) == [("airwars:900001", "longitude 'inf' is not a number between -180 and 180")]
