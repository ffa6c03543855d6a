"""Degrade, never drop (issue 23): on the bundled real data a secondary field's problem nulls
the field and is listed in audit.field_issues, the record stays; Airwars' own monthly figure is
reproduced; the 1 % check; no data is not zero; what UCDP gives reaches the marts."""

from __future__ import annotations

import duckdb
import pytest
from helpers import REPO

from civcas.report import field_issue_lines
from expectations import failed_errors, load_suites, run_suites

SUITES = REPO / "expectations" / "suites"
UN_MOSUL = "ledger:un-human-rights-office-2017-03-28-mosul/western-mosul-offensive"


def test_airwars_coalition_syria_june_2017_is_airwars_own_figure(bundled_build):
    env, _ = bundled_build
    # Airwars' own data: 251 incidents, 791-1,086 civilians killed (issue 23).
    assert env.query(
        "select reports, civilians_killed_min, civilians_killed_max"
        " from marts.agg_monthly_harm_by_belligerent where month = date '2017-06-01'"
        " and country_iso3 = 'SYR' and source = 'airwars' and belligerent_id = 'us_led_coalition'"
    ) == [(251, 791, 1086)]


def test_no_bundled_record_is_kept_out_for_a_secondary_field(bundled_build):
    env, _ = bundled_build
    # Only undatable incidents are quarantined; nothing for a name, a breakdown or a coordinate.
    assert env.query(
        "select reason, count(*) from audit.rejected_records"
        " where record_key like 'airwars_id=%'"
        " or source = 'ucdp' and reason not like 'out of scope:%'"
        " group by reason order by reason"
    ) == [
        ("incident_date 1970-01-01 is before 2011-01-01, impossible for this conflict", 1),
        ("incident_date is empty", 2),
    ]
    assert env.query(
        "select source, field, count(*) from audit.field_issues group by all order by all"
    ) == [
        ("airwars", "children_killed", 2),
        ("airwars", "incident_date_end", 1),
        ("airwars", "longitude", 1),
        ("airwars", "men_killed", 5),
        ("airwars", "women_killed", 1),
        ("ucdp", "low/best/high", 24),  # Syria 21, Iraq 3
    ]


def test_an_impossible_longitude_nulls_the_position_and_keeps_the_incident(bundled_build):
    env, _ = bundled_build
    # CS1033 (airwars_id 32716): a longitude of 4239.00416 in Airwars' export.
    assert env.query(
        "select value_as_written, reason from audit.field_issues where report_id = 'airwars:32716'"
    ) == [("4239.00416", "longitude '4239.00416' is not a number between -180 and 180")]
    assert env.query(
        "select latitude, longitude, civilians_killed_max from marts.fct_civilian_harm_reports"
        " where report_id = 'airwars:32716'"
    ) == [(None, None, 2)]


def test_an_inconsistent_breakdown_is_nulled_and_the_civilian_figure_stays(bundled_build):
    env, _ = bundled_build
    assert env.query(
        "select issue.value_as_written, report.men_killed_min, report.men_killed_max,"
        " report.civilians_killed_min is not null"
        " from audit.field_issues as issue"
        " inner join marts.fct_civilian_harm_reports as report using (report_id)"
        " where issue.reason = 'men_killed_min 4 exceeds men_killed_max 2'"
    ) == [("men_killed_min=4, men_killed_max=2", None, None, True)]


def test_ucdp_events_with_only_unknown_deaths_range_from_zero_to_them(bundled_build):
    env, _ = bundled_build
    # UCDP's civilian maximum is deaths_civilians + deaths_unknown (docs/api_sources.md).
    assert env.query(
        "select count(*), sum(civilians_killed_max) from marts.fct_civilian_harm_reports"
        " where source = 'ucdp' and civilians_killed_min = 0"
    ) == [(1861, 6016)]  # Syria 1,805 (5,199), Iraq 56 (817)


def test_every_load_keeps_under_one_percent_of_its_deaths_out(bundled_build):
    env, _ = bundled_build
    assert env.query(
        "select source, records_quarantined, civilian_deaths_stated, civilian_deaths_quarantined"
        " from audit.load_kept_out order by source, civilian_deaths_stated desc"
    ) == [("airwars", 3, 41117, 1), ("ucdp", 0, 19116, 0), ("ucdp", 0, 9966, 0)]


def test_more_than_one_percent_kept_out_fails_the_build(tmp_path):
    path = tmp_path / "kept_out.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute(
            "create table audit.load_kept_out as select * from (values"
            " ('a', 0.0), ('b', 0.01), ('c', 0.0101)) as t(load_id, quarantined_share)"
        )
    suites = [suite for suite in load_suites(SUITES) if suite.name == "kept_out"]
    results = run_suites(path, suites, run_id="r", data_docs_dir=tmp_path / "docs")
    assert [(r.expectation, r.unexpected_count) for r in failed_errors(results)] == [
        ("quarantined_share_at_most_one_percent", 1)
    ]


def test_al_jinah_keeps_ucdp_estimates_and_the_dyad_parties(bundled_build):
    env, _ = bundled_build
    assert env.query(
        "select ucdp_deaths_low, ucdp_deaths_best, ucdp_deaths_high, ucdp_event_clarity,"
        " ucdp_number_of_sources, dyad_side_a, dyad_side_b"
        " from marts.fct_civilian_harm_reports where report_id = 'ucdp:244276'"
    ) == [(50, 50, 62, 1, 10, "Government of United States of America", "al-Qaida")]
    # Alleged: the government side of the dyad, not both parties.
    assert env.query(
        "select belligerent_id from marts.bridge_report_belligerents"
        " where report_id = 'ucdp:244276'"
    ) == [("us_led_coalition",)]
    assert env.query(
        "select count(*) from marts.fct_civilian_harm_reports"
        " where source != 'ucdp' and (dyad_side_a is not null or ucdp_deaths_best is not null)"
    ) == [(0,)]


def test_a_source_without_data_is_not_compared_as_zero(bundled_build):
    env, _ = bundled_build
    rows = env.query(
        "select compared_source, no_data_reason, reports_counted, civilians_killed_max_sum"
        " from marts.fct_period_comparisons"
        " where claim_report_id = ? order by compared_source",
        [UN_MOSUL],
    )
    assert rows == [
        ("acled", "no acled data loaded", None, None),
        ("airwars", "no airwars coverage of Iraq", None, None),
        ("ibc", "no ibc data loaded", None, None),
        ("ucdp", None, 46, 564),  # west Mosul: the claim is scoped to its area
    ]
    assert env.query(
        "select count(*) from marts.fct_period_comparisons where reports_counted = 0"
    ) == [(0,)]


def test_coverage_says_which_months_a_source_holds(bundled_build):
    env, _ = bundled_build
    assert env.query(
        "select source, country_iso3, min(month)::varchar, max(month)::varchar, count(*),"
        " count(*) filter (where holds_reports)"
        " from marts.agg_source_coverage where source = 'ucdp' group by all order by all"
    ) == [
        ("ucdp", "IRQ", "2016-01-01", "2017-12-01", 24, 24),
        ("ucdp", "SYR", "2016-01-01", "2017-12-01", 24, 24),
    ]
    assert env.query(
        "select reports from marts.agg_source_coverage"
        " where source = 'airwars' and country_iso3 = 'SYR' and month = date '2017-06-01'"
    ) == [(296,)]


@pytest.mark.parametrize(
    ("issues", "unmapped", "expected"),
    [
        ([], [], ["kept with a field nulled (audit.field_issues): none"]),
        (
            [("airwars", "longitude", 1), ("ucdp", "side_a", 3), ("ucdp", "low/best/high", 2)],
            [("ucdp", "side_a", "SNA", 3)],
            [
                "kept with a field nulled (audit.field_issues):"
                " airwars: longitude 1; ucdp: side_a 3, low/best/high 2",
                "names no seed maps, alleged as unmapped (audit.unmapped_names):",
                "  ucdp side_a 'SNA': 3 reports",
            ],
        ),
    ],
)
def test_field_issue_lines(issues, unmapped, expected):
    assert field_issue_lines(issues, unmapped) == expected
