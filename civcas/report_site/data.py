"""What the report reads: the dbt reporting models (dbt_project/models/reporting), whole.

Every rule of what a figure counts lives in those models; here each is read as it is. The one
exception is `audit.validation_results`, written by the validation step after dbt has run, which
no dbt model can read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from expectations.results import ExpectationResult, read_results

REPORTING_MODELS = (
    "rpt_monthly_harm",
    "rpt_reports",
    "rpt_events",
    "rpt_event_links",
    "rpt_citations",
    "rpt_period_comparisons",
    "rpt_rejected_reasons",
    "rpt_source_loads",
    "rpt_field_issues",
    "rpt_unmapped_names",
)
ORDER = {
    "rpt_monthly_harm": "month, source, grading, belligerent_id",
    "rpt_reports": "month, event_date, report_id",
    "rpt_events": "month, event_date, event_id",
    "rpt_event_links": "event_id, report_id_a, report_id_b",
    "rpt_citations": "report_id, citation_order",
    "rpt_period_comparisons": "period_start, claim_report_id, compared_source",
    "rpt_rejected_reasons": "records desc, source, reason_kind",
    "rpt_source_loads": "source",
    "rpt_field_issues": "source, issues desc, field, reason_kind",
    "rpt_unmapped_names": "source, reports desc, field, name",
}
LAST_RUN = "select run_id from audit.validation_results order by checked_at desc limit 1"


class MissingReportingModels(RuntimeError):
    """The warehouse was published before the reporting models existed."""


@dataclass(frozen=True)
class ReportData:
    tables: dict[str, list[dict]]
    checks: list[ExpectationResult]
    belligerents: dict[str, str]
    admin1: list[dict]

    def __getattr__(self, name: str) -> list[dict]:
        try:
            return self.tables[f"rpt_{name}"]
        except KeyError:
            raise AttributeError(name) from None


def _dicts(result: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def load(con: duckdb.DuckDBPyConnection) -> ReportData:
    present = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'reporting'"
        ).fetchall()
    }
    missing = [model for model in REPORTING_MODELS if model not in present]
    if missing:
        raise MissingReportingModels(
            f"the warehouse has no reporting.{', reporting.'.join(missing)}: it was published"
            " before the report's models existed; run `civcas run` to build them"
        )
    # No bound parameters: binding one makes DuckDB import pandas (seconds, for `civcas report`).
    tables = {
        model: _dicts(con.execute(f"select * from reporting.{model} order by {ORDER[model]}"))
        for model in REPORTING_MODELS
    }
    names = con.execute("select belligerent_id, belligerent_name from marts.dim_belligerents")
    belligerents = dict(names.fetchall())
    admin1 = _dicts(
        con.execute(
            "select admin1_code, country_iso3, admin1_name from marts.dim_admin1 order by 1"
        )
    )
    last_run = con.execute(LAST_RUN).fetchone()
    checks = read_results(con, last_run[0]) if last_run else []
    checks.sort(key=lambda r: (r.success, r.severity, r.suite, r.expectation))
    return ReportData(tables, checks, belligerents, admin1)
