"""One read-only, set-wise query per chart or table of the report."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# Airwars' own convention for its headline figures: only "Fair" and "Confirmed" incidents.
GRADED_COLUMNS = (
    "fair_or_confirmed_civilians_killed_min",
    "fair_or_confirmed_civilians_killed_max",
)
DISAGREEMENTS = ("denied", "disjoint", "overlap")
DISAGREEMENTS_SQL = "[" + ", ".join(f"'{kind}'" for kind in DISAGREEMENTS) + "]"
MAP_CELL_HUNDREDTHS = 20  # the map's cells are 0.2° squares of the 0.01° admin-1 grid seed


# The belligerents' names as one map, joined once; lists are named with list_transform (row-wise
# subqueries over unnest took seconds on the events table).
BELLIGERENT_NAMES = """belligerent_names as (
            select map_from_entries(list((belligerent_id, belligerent_name))) as names
            from marts.dim_belligerents
        )"""


def belligerent_names(ids_column: str) -> str:
    """SQL naming each belligerent of a list column, in a fixed order, comma-separated."""
    return (
        f"array_to_string(list_transform(list_sort({ids_column}),"
        " id -> coalesce(names[id], id)), ', ')"
    )


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> Rows:
    # No bound parameters: binding one makes DuckDB import pandas (seconds, for `civcas report`).
    result = con.execute(sql)
    return Rows([d[0] for d in result.description], result.fetchall())


def has_relation(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    tables = con.execute("select table_schema, table_name from information_schema.tables")
    return (schema, name) in set(tables.fetchall())


def has_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str, columns) -> bool:
    return set(columns) <= set(con.table(f"{schema}.{name}").columns)


def monthly_by_belligerent(con: duckdb.DuckDBPyConnection, graded: bool) -> Rows:
    """Airwars' monthly civilians killed per alleged belligerent, both countries together."""
    graded_sums = (
        "sum(fair_or_confirmed_civilians_killed_min) as graded_min,"
        " sum(fair_or_confirmed_civilians_killed_max) as graded_max"
        if graded
        else "null::hugeint as graded_min, null::hugeint as graded_max"
    )
    return fetch(
        con,
        f"""
        select a.month, a.belligerent_id, coalesce(b.belligerent_name, a.belligerent_id) as name,
               sum(a.reports) as reports,
               sum(a.civilians_killed_min) as killed_min, sum(a.civilians_killed_max) as killed_max,
               {graded_sums}
        from marts.agg_monthly_harm_by_belligerent as a
        left join marts.dim_belligerents as b using (belligerent_id)
        where a.source = 'airwars'
        group by all
        order by a.month, a.belligerent_id
        """,
    )


def monthly_by_source(con: duckdb.DuckDBPyConnection) -> Rows:
    """Each source's monthly sums, only over the months where at least two sources report."""
    return fetch(
        con,
        """
        with by_source as (
            select month, source, sum(reports) as reports,
                   sum(civilians_killed_min) as killed_min, sum(civilians_killed_max) as killed_max
            from marts.agg_monthly_harm
            group by all
        ),
        shared_months as (
            select month from by_source group by month having count(distinct source) >= 2
        )
        select b.* from by_source as b semi join shared_months using (month)
        order by month, source
        """,
    )


def period_comparisons(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        f"""
        with {BELLIGERENT_NAMES}
        select p.claim_report_id, coalesce(c.claimant_name, p.claimant_id) as claimant,
               p.period_start, p.period_end, p.country_iso3, a.admin1_name,
               {belligerent_names("p.belligerent_ids")} as belligerents,
               p.claim_civilians_killed_min as claim_min, p.claim_civilians_killed_max as claim_max,
               p.compared_source, p.reports_counted,
               p.civilians_killed_min_sum as min_sum, p.civilians_killed_max_sum as max_sum,
               p.headline_civilians_killed_min_sum as headline_min_sum,
               p.headline_civilians_killed_max_sum as headline_max_sum,
               p.claim_inside_range, p.claim_inside_headline_range
        from marts.fct_period_comparisons as p
        cross join belligerent_names
        left join marts.dim_claimants as c using (claimant_id)
        left join marts.dim_admin1 as a using (admin1_code)
        order by p.period_start, p.claim_report_id, p.compared_source
        """,
    )


def disagreements(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        f"""
        with {BELLIGERENT_NAMES}
        select e.event_id, e.event_date, e.event_date_end, e.country_iso3, a.admin1_name, e.place,
               {belligerent_names("e.belligerent_ids")} as belligerents, e.n_sources,
               e.airwars_civilians_killed_min, e.airwars_civilians_killed_max, e.airwars_grading,
               e.ucdp_civilians_killed_min, e.ucdp_civilians_killed_max,
               e.acled_fatalities_min, e.acled_fatalities_max,
               array_to_string(list_transform(list_sort(e.ledger_claims), c ->
                    c.claimant_id || ' ' || c.civilians_killed_min::varchar
                    || case when c.civilians_killed_max is distinct from c.civilians_killed_min
                            then '–' || coalesce(c.civilians_killed_max::varchar, '?') else '' end
                    || case when c.speaks_for_accused then ' (speaks for the accused)' else '' end
               ), '; ') as ledger,
               e.envelope_min, e.envelope_max, e.agreement
        from marts.fct_harm_events as e
        cross join belligerent_names
        left join marts.dim_admin1 as a using (admin1_code)
        where list_contains({DISAGREEMENTS_SQL}, e.agreement)
        order by list_position({DISAGREEMENTS_SQL}, e.agreement), e.envelope_max desc nulls last,
                 e.event_id
        """,
    )


def agreement_counts(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        "select agreement, count(*) as events from marts.fct_harm_events"
        " group by all order by events desc",
    )


def reports_by_admin1(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        """
        select d.admin1_code, d.country_iso3, d.admin1_name,
               count(r.report_id) as reports,
               count(r.report_id) filter (where r.source = 'airwars') as airwars,
               count(r.report_id) filter (where r.source = 'ucdp') as ucdp,
               count(r.report_id) filter (where r.source = 'acled') as acled,
               count(r.report_id) filter (where r.source = 'ledger') as ledger
        from marts.dim_admin1 as d
        left join marts.fct_civilian_harm_reports as r using (admin1_code)
        group by all
        order by reports desc, d.admin1_code
        """,
    )


def map_cells(con: duckdb.DuckDBPyConnection) -> Rows:
    """Coarse map cells: each takes the admin-1 area covering most of its 0.01° grid cells."""
    return fetch(
        con,
        f"""
        with runs as (
            select g.lat_cell // {MAP_CELL_HUNDREDTHS} as row_cell, g.lon_cell_from, g.lon_cell_to,
                   g.lon_cell_from // {MAP_CELL_HUNDREDTHS} as col_from,
                   g.lon_cell_to // {MAP_CELL_HUNDREDTHS} as col_to,
                   g.country_iso3, g.admin1_code
            from seeds.admin1_grid as g
            where g.country_iso3 in (select distinct country_iso3 from marts.dim_admin1)
        ),
        pieces as (
            select row_cell, col_cell, country_iso3, admin1_code,
                   least(lon_cell_to, (col_cell + 1) * {MAP_CELL_HUNDREDTHS} - 1)
                   - greatest(lon_cell_from, col_cell * {MAP_CELL_HUNDREDTHS}) + 1 as covered
            from runs,
                 unnest(range(col_from, col_to + 1)) as t (col_cell)
        ),
        covered as (
            select row_cell, col_cell, country_iso3, admin1_code, sum(covered) as covered
            from pieces group by all
        )
        select row_cell, col_cell,
               arg_max(country_iso3, covered) as country_iso3,
               arg_max(admin1_code, covered) as admin1_code
        from covered
        group by all
        order by row_cell, col_cell
        """,
    )


def quarantine_by_reason(con: duckdb.DuckDBPyConnection) -> Rows:
    # Reasons name ids and figures; numbers become N so that reasons of one kind count together.
    return fetch(
        con,
        """
        select source, regexp_replace(reason, '[0-9]+', 'N', 'g') as reason_kind,
               count(*) as records, min(reason) as example
        from audit.rejected_records
        group by all
        order by records desc, source, reason_kind
        """,
    )


def last_run_checks(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        """
        with last_run as (
            select run_id from audit.validation_results order by checked_at desc limit 1
        )
        select v.run_id, v.checked_at, v.suite, v.expectation, v.table_name, v.severity,
               v.success, v.unexpected_count, v.observed_value
        from audit.validation_results as v semi join last_run using (run_id)
        order by v.success, v.severity desc, v.suite, v.expectation
        """,
    )


def freshness(con: duckdb.DuckDBPyConnection) -> Rows:
    return fetch(
        con,
        """
        select source, max(loaded_at) as last_loaded_at, count(*) as loads,
               sum(rows_in) as rows_in, sum(rows_accepted) as rows_accepted,
               sum(rows_rejected) as rows_rejected
        from audit.loads
        group by all
        order by source
        """,
    )
