"""Values that cannot be what they claim are quarantined with a reason, never a cast error and never
a silent NULL, and a poison record blocks nothing else (issue 11, cases 5 and 6); re-dropping an
earlier Airwars export makes it current again (case 6)."""

from __future__ import annotations

from conftest import incident, write_incidents
from fake_api import fixtures
from test_api_pipeline import expected_ucdp_reports

from civcas.cli import main

api_env = fixtures.api_env
fake_apis = fixtures.fake_apis

BOUND = "more than 1000000"
POISON_INCIDENTS = {
    "900010": (
        {"latitude": "NaN"},
        "latitude 'NaN' is not a number between -90 and 90",
    ),
    "900011": (
        {"longitude": "inf"},
        "longitude 'inf' is not a number between -180 and 180",
    ),
    "900012": (
        {"latitude": "33512349"},
        "latitude '33512349' is not a number between -90 and 90",
    ),
    "900013": (
        {"latitude": "33,51"},
        "latitude '33,51' is not a number between -90 and 90",
    ),
    "900014": (
        {"civilians_killed_max": "99999999999999999999"},
        f"civilians_killed_max 99999999999999999999 is beyond any plausible count ({BOUND})",
    ),
    "900015": (
        {"incident_date_end": "2017-02-30"},
        "incident_date_end '2017-02-30' is not a date (YYYY-MM-DD)",
    ),
    "900016": (
        {"last_modified": "yesterday"},
        "last_modified 'yesterday' is not a date (YYYY-MM-DD)",
    ),
    "900017": (
        {"incident_date": "2017-03-17 garbage"},
        "incident_date '2017-03-17 garbage' is not a date (YYYY-MM-DD)",
    ),
}


def _reasons(env, source: str) -> dict[str, str]:
    return dict(
        env.query(
            "select record_key, reason from audit.rejected_records where source = ?"
            " and reason not like 'superseded%' and reason not like 'replaced:%'",
            [source],
        )
    )


def test_poison_airwars_values_are_quarantined_with_a_reason(civcas_env):
    rows = [incident()] + [
        incident(airwars_id=airwars_id, incident_code=f"P{airwars_id}", **fields)
        for airwars_id, (fields, _) in POISON_INCIDENTS.items()
    ]
    write_incidents(civcas_env.landing, "incidents.csv", rows)

    report = civcas_env.run()

    assert report.success, report.lines()
    assert civcas_env.query(
        "select report_id, civilians_killed_min from marts.fct_civilian_harm_reports"
    ) == [("airwars:900001", 3)]
    assert _reasons(civcas_env, "airwars") == {
        f"airwars_id={airwars_id}": reason for airwars_id, (_, reason) in POISON_INCIDENTS.items()
    }


def test_an_earlier_export_dropped_back_is_current_again(civcas_env):
    export_a = [incident(civilians_killed_min="3", last_modified="2020-01-01")]
    export_b = [incident(civilians_killed_min="4", last_modified="2020-06-01")]
    shown = []
    for rows in (export_a, export_b, export_a):  # A, then the correction B, then A again
        write_incidents(civcas_env.landing, "incidents.csv", rows)
        assert civcas_env.run().success
        shown += civcas_env.query(
            "select civilians_killed_min from marts.fct_civilian_harm_reports"
        )
    assert shown == [(3,), (4,), (3,)]
    superseded = civcas_env.query(
        "select reason from audit.rejected_records"
        " where source = 'airwars' and reason like 'superseded%' order by load_id"
    )
    assert len(superseded) == 2  # the first A and B, both replaced by the last landing
    assert all(
        reason.startswith("superseded by a newer version of airwars_id 900001")
        for (reason,) in superseded
    )


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
    reasons = _reasons(civcas_env, "ucdp")
    for event_id, reason in poisoned.items():
        # event 4's high is beyond the bound too: its reason lists both
        assert reason in reasons[f"id={event_id},release=24.1"]
    published = {
        report_id
        for (report_id,) in civcas_env.query(
            "select report_id from marts.fct_civilian_harm_reports where source = 'ucdp'"
        )
    }
    clean = [event for event in march if event["id"] not in poisoned]
    assert published == set(expected_ucdp_reports(clean, {"2017-03"}))
    assert _reasons(civcas_env, "airwars") == {
        "airwars_id=900001": "longitude 'inf' is not a number between -180 and 180"
    }
