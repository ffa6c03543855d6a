"""Values of the UCDP API that cannot be what they claim are never a cast error and never a silent
NULL, and a poison record blocks nothing else: a secondary field that cannot be read is nulled and
listed in audit.field_issues, the event stays. (The file drops' poison values and quarantine
reasons: test_quarantine.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_api import fixtures
from helpers import PLAUSIBLE_BOUND, expected_ucdp_reports, incident, query, write_incidents

from civcas.cli import main

api_env = fixtures.api_env
fake_apis = fixtures.fake_apis


def _reasons(warehouse: Path, source: str) -> dict[str, str]:
    return dict(
        query(
            warehouse,
            "select record_key, reason from audit.rejected_records where source = ?"
            " and reason not like 'superseded%' and reason not like 'replaced:%'",
            [source],
        )
    )


POISON_EVENTS = {
    # field changes of a March 2017 event of release 24.1, and the reason expected for it
    0: ({"latitude": "NaN"}, "latitude 'NaN' is not a number between -90 and 90"),
    1: ({"longitude": "inf"}, "longitude 'inf' is not a number between -180 and 180"),
    2: ({"latitude": 33512349}, "latitude '33512349' is not a number between -90 and 90"),
    3: ({"latitude": "33,51"}, "latitude '33,51' is not a number between -90 and 90"),
    4: (
        {"best": 99999999999999999999, "high": 99999999999999999999},
        f"best 99999999999999999999 is beyond any plausible count ({PLAUSIBLE_BOUND})",
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
