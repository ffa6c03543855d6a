"""What the report reads: the dbt reporting models (dbt_project/models/reporting), in bounded parts.

Every rule of what a figure counts lives in those models; here each is read as it is. The small
models are read whole; the large ones (a row per report, event, link and citation) are read one
month at a time (`month_rows`), and the index page's map gets their counts grouped in SQL, with a
point per report only up to `MAP_POINTS_CAP`, so that memory is bounded by the largest month, not
by the warehouse. The one exception to the models is `audit.validation_results`, written by the
validation step after dbt has run, which no dbt model can read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import duckdb

from civcas.report_site.markup import CITATION_HTML, REPORT_ROW_HTML
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
# The models small enough to read whole: a row per month and dimension, per claim, per reason.
WHOLE = {
    "rpt_monthly_harm": "month, source, grading, belligerent_id",
    "rpt_period_comparisons": "period_start, claim_report_id, compared_source",
    "rpt_rejected_reasons": "records desc, source, reason_kind",
    "rpt_source_loads": "source",
    "rpt_field_issues": "source, issues desc, field, reason_kind",
    "rpt_unmapped_names": "source, reports desc, field, name",
}
# The map draws a point per report with coordinates up to this many reports in the warehouse;
# beyond, the page would weigh tens of megabytes and Vega would stall the browser drawing them, so
# the map shows only the shaded governorates and says why (docs/report.md).
MAP_POINTS_CAP = 30_000
DISAGREEMENTS = ("denied", "disjoint", "overlap")
LAST_RUN = "select run_id from audit.validation_results order by checked_at desc limit 1"
# A report with the page showing it: its event's first month (an event can start before the
# report), or the report's own month for a period claim; and its anchor on that page.
REPORTS_PAGED = """
    select
        reports.*,
        strftime(coalesce(events.month, reports.month), '%Y-%m') as page,
        coalesce(reports.event_id, reports.report_id) as anchor
    from reporting.rpt_reports as reports
    left join reporting.rpt_events as events on reports.event_id = events.event_id
"""


class MissingReportingModels(RuntimeError):
    """The warehouse was published before the reporting models existed."""


@dataclass(frozen=True)
class ReportData:
    """What the index page shows: the small models whole, the map's counts grouped."""

    tables: dict[str, list[dict]]
    checks: list[ExpectationResult]
    belligerents: dict[str, str]
    admin1: list[dict]
    disagreements: list[dict]
    months: list[str]
    dimensions: dict[str, list[str]]
    area_counts: list[dict]
    points: list[dict] | None  # None: more reports with coordinates than points_cap
    located_reports: int
    points_cap: int

    def __getattr__(self, name: str) -> list[dict]:
        try:
            return self.tables[f"rpt_{name}"]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class MonthRows:
    """One month's pages: its reports (their table rows, written in SQL), its events with
    theirs, and its period claims."""

    month: date
    reports_html: str
    events: list[dict]
    claims: list[dict]


def _dicts(result: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    return _dicts(con.execute(sql))


def _grouped(rows: list[dict], key: str) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def _check_models(con: duckdb.DuckDBPyConnection) -> None:
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


def _dimensions(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Each filter dimension's values among the reports, sorted: the map's rows name them by
    their position in these lists."""
    row = con.execute(
        """
        select
            list_sort(list(distinct coalesce(country_iso3, ''))),
            list_sort(list(distinct source)),
            list_sort(list(distinct grading)),
            list_sort(list(distinct coalesce(admin1_code, ''))),
            list_sort(list_distinct(flatten(list(coalesce(belligerent_ids, [])))))
        from reporting.rpt_reports
        """
    ).fetchone()
    names = ("country", "source", "grading", "admin1", "belligerent")
    return {name: values or [] for name, values in zip(names, row, strict=True)}


def load(con: duckdb.DuckDBPyConnection, points_cap: int = MAP_POINTS_CAP) -> ReportData:
    # No bound parameters: binding one makes DuckDB import pandas (seconds, for `civcas report`).
    _check_models(con)
    tables = {
        model: _query(con, f"select * from reporting.{model} order by {order}")
        for model, order in WHOLE.items()
    }
    names = con.execute("select belligerent_id, belligerent_name from marts.dim_belligerents")
    belligerents = dict(names.fetchall())
    admin1 = _query(
        con, "select admin1_code, country_iso3, admin1_name from marts.dim_admin1 order by 1"
    )
    disagreements = _query(
        con,
        "select * from reporting.rpt_events"
        f" where agreement in {DISAGREEMENTS} order by month, event_date, event_id",
    )
    months = [
        row[0]
        for row in con.execute(
            "select distinct strftime(month, '%Y-%m') from reporting.rpt_reports order by 1"
        ).fetchall()
    ]
    # Reports per month, country, source, grading, belligerents and governorate: what the map's
    # shading sums under any filter, bounded by the combinations rather than by the reports.
    area_counts = _query(
        con,
        """
        select
            strftime(month, '%Y-%m') as month, country_iso3, source, grading, headline_grading,
            coalesce(belligerent_ids, []) as belligerent_ids, admin1_code, count(*) as reports
        from reporting.rpt_reports
        where admin1_code is not null
        group by all
        order by all
        """,
    )
    located = "latitude is not null and longitude is not null"
    located_reports = con.execute(
        f"select count(*) from reporting.rpt_reports where {located}"
    ).fetchone()[0]
    points = None
    if located_reports <= points_cap:
        points = _query(
            con,
            f"select * from ({REPORTS_PAGED}) where {located}"
            " order by month, event_date, report_id",
        )
    last_run = con.execute(LAST_RUN).fetchone()
    checks = read_results(con, last_run[0]) if last_run else []
    checks.sort(key=lambda r: (r.success, r.severity, r.suite, r.expectation))
    return ReportData(
        tables,
        checks,
        belligerents,
        admin1,
        disagreements,
        months,
        _dimensions(con),
        area_counts,
        points,
        located_reports,
        points_cap,
    )


# Each large model's rows for the events of one month ({month}: a date literal), in the order
# their pages show them.
OF_EVENTS = "join reporting.rpt_events as events on {table}.event_id = events.event_id"
EVENT_ROWS = {
    "reports": "select reports.* from reporting.rpt_reports as reports "
    + OF_EVENTS.format(table="reports")
    + " where events.month = {month}"
    " order by reports.month, reports.event_date, reports.report_id",
    "links": "select links.* from reporting.rpt_event_links as links "
    + OF_EVENTS.format(table="links")
    + " where events.month = {month}"
    " order by links.event_id, links.report_id_a, links.report_id_b",
}

# An event's citations, one <li> each, joined in SQL: at a million reports they are six million,
# too many to pass one by one through a template.
CITATIONS_HTML = (
    "select reports.event_id, string_agg(" + CITATION_HTML + ", ''"
    " order by reports.month, reports.event_date, reports.report_id, citations.citation_order)"
    " from reporting.rpt_citations as citations"
    " join reporting.rpt_reports as reports on citations.report_id = reports.report_id "
    + OF_EVENTS.format(table="reports")
    + " where events.month = {month} group by reports.event_id"
)


def _one_month(con: duckdb.DuckDBPyConnection, month: date) -> MonthRows:
    this = f"date '{month:%Y-%m-%d}'"  # a date DuckDB returned: safe to inline
    reports_html = con.execute(
        f"select string_agg({REPORT_ROW_HTML}, '' order by event_date, report_id)"
        f" from ({REPORTS_PAGED}) where month = {this}"
    ).fetchone()[0]
    claims = _query(
        con,
        f"select * from reporting.rpt_reports where month = {this} and event_id is null"
        " order by event_date, report_id",
    )
    events = _query(
        con,
        f"select * from reporting.rpt_events where month = {this} order by event_date, event_id",
    )
    of_events = {
        name: _grouped(_query(con, sql.format(month=this)), "event_id")
        for name, sql in EVENT_ROWS.items()
    }
    citations = dict(con.execute(CITATIONS_HTML.format(month=this)).fetchall())
    comparisons = {}
    if claims:
        comparisons = _grouped(
            _query(
                con,
                "select * from reporting.rpt_period_comparisons where claim_report_id in"
                " (select report_id from reporting.rpt_reports"
                f" where month = {this} and event_id is null)"
                " order by period_start, claim_report_id, compared_source",
            ),
            "claim_report_id",
        )
    return MonthRows(
        month,
        reports_html or "",
        [
            e
            | {name: rows.get(e["event_id"], []) for name, rows in of_events.items()}
            | {"citations_html": citations.get(e["event_id"], "")}
            for e in events
        ],
        [r | {"comparisons": comparisons.get(r["report_id"], [])} for r in claims],
    )


def month_rows(con: duckdb.DuckDBPyConnection) -> Iterator[MonthRows]:
    """Each month with a report or an event, its rows read by one query per model: memory is
    bounded by the largest month."""
    months = con.execute(
        "select month from reporting.rpt_reports union"
        " select month from reporting.rpt_events order by 1"
    ).fetchall()
    for (month,) in months:
        yield _one_month(con, month)
