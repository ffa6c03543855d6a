"""Row rules that are dbt tests (not Great Expectations, which validates counts): real dbt runs
them against a small DuckDB file holding only the columns they read, one good row and bad rows,
and each test counts exactly its bad rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from helpers import REPO

DBT = Path(sys.executable).parent / "dbt"
RULES = {
    "harm_figures_not_negative": 1,
    "harm_figures_min_within_max": 2,
    "admin1_code_iso_3166_2": 1,
    "ucdp_current_estimates_in_order": 2,
    "ucdp_one_row_per_event_per_release": 1,
    "acled_current_events_in_scope_and_counted": 1,
    "ledger_report_has_its_claim": 1,
    "ledger_claim_inside_document_lifetime": 1,
    "ledger_average_agrees_with_monthly_claims": 1,
}
FIGURES = [
    f"{part}_{bound}"
    for part in ("civilians_killed", "children_killed", "women_killed", "men_killed")
    for bound in ("min", "max")
] + ["civilians_injured_min", "civilians_injured_max"]


def _reports(*rows: dict[str, int | None]) -> str:
    values = ", ".join(
        "(" + ", ".join("null" if row.get(c) is None else str(row[c]) for c in FIGURES) + ")"
        for row in rows
    )
    return f"select * from (values {values}) as t({', '.join(FIGURES)})"


def _warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    for schema in ("marts", "intermediate"):
        con.execute(f"create schema {schema}")
    con.execute(
        "create table marts.fct_civilian_harm_reports as "
        + _reports(
            {"civilians_killed_min": 2, "civilians_killed_max": 5},  # good
            {},  # nothing reported: nothing to check
            {"children_killed_min": -1},  # negative
            {"civilians_killed_min": 6, "civilians_killed_max": 5},  # min above max
            {"civilians_injured_min": 3, "civilians_injured_max": 1},  # min above max
        )
    )
    con.execute("alter table marts.fct_civilian_harm_reports add column report_id varchar")
    con.execute("alter table marts.fct_civilian_harm_reports add column source varchar")
    con.execute(
        "insert into marts.fct_civilian_harm_reports (report_id, source) values"
        " ('ledger:d/on-time', 'ledger'), ('ledger:d/no-claim', 'ledger')"  # no claim row
    )
    con.execute(
        "create table marts.dim_ledger_documents as select * from (values"
        " ('d', date '2017-04-30')) as t(document_id, published_date_end)"
    )
    con.execute(
        "create table marts.fct_ledger_claims as select * from (values"
        " ('ledger:d/on-time', 'd', 'incident', null, null, date '2017-04-30', null),"
        " ('ledger:d/late', 'd', 'period', null, null, date '2017-04-01', date '2017-05-31'),"
        " ('ledger:d/agrees', 'd', 'average', 'month', true, date '2017-01-01', date '2017-03-31'),"
        " ('ledger:d/disagrees', 'd', 'average', 'month', false, date '2017-01-01',"
        " date '2017-03-31'))"
        " as t(report_id, document_id, scope, average_per, average_agrees_with_monthly_claims,"
        " event_date, event_date_end)"
    )
    con.execute(
        "create table marts.dim_admin1 as select * from (values ('SY-HL'), ('IQ-BG'), ('SY-1'))"
        " as t(admin1_code)"
    )
    con.execute(
        "create table intermediate.int_ucdp__events_triaged as select * from (values"
        " ('1', 'v1', 'current', null, 1, 2, 3, 2),"
        " ('2', 'v1', 'current', null, 3, 2, 4, null),"  # low above best
        " ('3', 'v1', 'current', null, 1, 2, 3, 5),"  # civilians above best
        " ('4', 'v1', 'quarantined', null, 9, 2, 1, 9),"  # not current: the triage's business
        " ('1', 'v1', 'superseded', null, 1, 2, 3, 2),"  # event 1 twice in release v1
        " ('1', 'v1', 'superseded', 'fetch-2', 1, 2, 3, 2),"  # replaced by a later fetch: apart
        " ('5', null, 'current', null, 1, 2, 3, 2),"  # a GED file's event (no release) landed
        " ('5', null, 'superseded', null, 1, 2, 3, 2))"  # again in a newer file: allowed
        " as t(event_id, release, status, replaced_by_fetch, low, best, high, deaths_civilians)"
    )
    con.execute(
        "create table intermediate.int_acled__events_triaged as select * from (values"
        " ('current', 3, 'Civilian targeting'), ('current', -1, 'Civilian targeting'),"
        " ('out_of_scope', 2, 'Battles')) as t(status, fatalities, civilian_targeting)"
    )
    con.close()


def test_each_row_rule_counts_exactly_its_bad_rows(tmp_path):
    _warehouse(tmp_path / "rules.duckdb")
    env = {**os.environ, "CIVCAS_BUILD_DB": "rules.duckdb"}
    done = subprocess.run(
        [DBT, "test", "--select", *RULES, "--project-dir", REPO / "dbt_project",
         "--profiles-dir", REPO / "dbt_project", "--target-path", tmp_path / "target",
         "--log-path", tmp_path / "logs"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout[-3000:]  # every rule fails on its bad rows
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    failures = {result["unique_id"].split(".")[2]: result["failures"] for result in results}
    assert failures == RULES, done.stdout[-3000:]
