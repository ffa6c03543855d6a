"""ACLED's deletions feed withdraws events (#28): a real Dagster run against the fake API on
127.0.0.1 lands the feed, the withdrawn event leaves the current marts, audit and
marts.fct_source_withdrawals say why, marts.fct_publish_changes lists it `withdrawn` (also after
`civcas run --full`), and `civcas sql --as-of` the publish before still shows it."""

from __future__ import annotations

import pytest
from helpers import incident, write_incidents
from test_api_pipeline import cli, file_sources

from civcas import publish_log
from civcas.cli import main
from civcas.settings import load_settings

WITHDRAWN = "acled:SYR2177"


def _acled_reports(env) -> set[str]:
    return {
        row[0]
        for row in env.query(
            "select report_id from marts.fct_civilian_harm_reports where source = 'acled'"
        )
    }


def _withdrawn_changes(env) -> list[tuple]:
    return env.query(
        "select entity, record_key, since_run_id from marts.fct_publish_changes"
        " where change = 'withdrawn' order by all"
    )


@pytest.mark.full_runs(3)
def test_a_deleted_acled_event_leaves_the_marts_and_stays_in_history(civcas_env, api_env, capsys):
    file_sources(civcas_env.landing)
    code, out = cli(capsys, "--month", "2017-03")
    assert code == 0, out
    before = _acled_reports(civcas_env)
    assert WITHDRAWN in before and len(before) == 6
    first_run = publish_log.read(load_settings().publish_log)[-1].run_id
    march_before = civcas_env.query(
        "select reports from marts.agg_monthly_harm where source = 'acled'"
        " and month = '2017-03-01' and country_iso3 = 'SYR'"
    )

    # ACLED deletes SYR2177; the feed also names an event never landed and a row without a time.
    api_env.apis.acled_deletions_dataset = "withdrawn"
    code, out = cli(capsys, "--source", "acled", "--month", "2017-03")
    assert code == 0, out
    assert _acled_reports(civcas_env) == before - {WITHDRAWN}
    for table, column in (
        ("marts.bridge_event_reports", "report_id"),
        ("marts.bridge_report_belligerents", "report_id"),
        ("marts.fct_report_links", "report_id_a"),
        ("marts.fct_report_links", "report_id_b"),
    ):
        assert civcas_env.query(
            f"select count(*) from {table} where {column} = ?", [WITHDRAWN]
        ) == [(0,)], table
    assert civcas_env.query(
        "select reports from marts.agg_monthly_harm where source = 'acled'"
        " and month = '2017-03-01' and country_iso3 = 'SYR'"
    ) == [(march_before[0][0] - 1,)]
    assert civcas_env.query(
        "select status, reason from audit.rejected_records"
        " where source = 'acled' and status in ('withdrawn', 'quarantined') order by status"
    ) == [
        ("quarantined", "deleted_timestamp 'soon' is not a Unix time"),
        (
            "withdrawn",
            civcas_env.query(
                "select 'withdrawn by ACLED: deleted at 2017-05-05 16:00:00 UTC"
                " (deleted_timestamp 1494000000, load ' || load_id || ')'"
                " from marts.fct_source_withdrawals where report_id = ?",
                [WITHDRAWN],
            )[0][0],
        ),
    ]
    assert civcas_env.query(
        "select report_id, withdrawn_at::varchar, withdrew_report from marts.fct_source_withdrawals"
        " order by report_id"
    ) == [
        ("acled:IRQ2999", "2017-05-05 16:01:40", False),
        (WITHDRAWN, "2017-05-05 16:00:00", True),
    ]
    # The report, and the event it alone made up, left their marts in this publish.
    withdrawn = [("event", f"event:{WITHDRAWN}", first_run), ("report", WITHDRAWN, first_run)]
    assert _withdrawn_changes(civcas_env) == withdrawn
    assert civcas_env.query(
        "select count(*) from audit.load_reconciliation where source = 'acled'"
        " and (rows_in != rows_landed or rows_in != rows_accounted_for)"
    ) == [(0,)]

    # As of the first publish, the event is still there.
    query = f"select count(*) from marts.fct_civilian_harm_reports where report_id = '{WITHDRAWN}'"
    assert main(["sql", query, "--format", "csv", "--as-of", first_run]) == 0
    assert capsys.readouterr().out.split() == ["count_star()", "1"]
    assert main(["sql", query, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["count_star()", "0"]

    # A full rebuild keeps the history: the snapshots are never dropped. (With nothing new a run
    # is up to date and builds nothing: a new Airwars file makes it rebuild.)
    write_incidents(
        civcas_env.landing,
        "incidents_new.csv",
        [incident(incident_code="CS9002", airwars_id="900003")],
    )
    code, out = cli(capsys, "--full")
    assert "succeeded; published" in out
    assert code == 0, out
    assert _withdrawn_changes(civcas_env) == withdrawn
    assert _acled_reports(civcas_env) == before - {WITHDRAWN}
    assert civcas_env.query(
        "select count(*) from marts.fct_publish_changes where change = 'added' and record_key = ?",
        [WITHDRAWN],
    ) == [(1,)]
