"""The report's sections: each runs its queries and returns its HTML (charts inline as SVG)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from html import escape

import duckdb

from civcas.report_site import queries, svg
from civcas.report_site.tables import figure_range, table

PANELS = 6  # belligerents drawn as small multiples; the others are named below them
SOURCE_COLORS = {"airwars": "#1f77b4", "ucdp": "#d62728", "acled": "#2ca02c", "ledger": "#9467bd"}
GRADINGS = {
    "all": "all gradings",
    "graded": "Airwars Fair + Confirmed only",
}


def _missing(what: str) -> str:
    return (
        f'<p class="note">This warehouse has no {escape(what)}: it was built before the'
        " reconciliation models. Run <code>civcas run</code> again to draw this section.</p>"
    )


def monthly_section(con: duckdb.DuckDBPyConnection) -> str:
    graded = queries.has_columns(
        con, "marts", "agg_monthly_harm_by_belligerent", queries.GRADED_COLUMNS
    )
    data = queries.monthly_by_belligerent(con, graded).dicts()
    if not data:
        return "<p>No Airwars assessments in the warehouse.</p>"
    series: dict[str, list[dict]] = defaultdict(list)
    for row in data:
        series[row["belligerent_id"]].append(row)
    ranked = sorted(series, key=lambda b: -sum(r["killed_max"] or 0 for r in series[b]))
    first, last = data[0]["month"], data[-1]["month"]
    variants = {"all": ("killed_min", "killed_max")}
    if graded:
        variants["graded"] = ("graded_min", "graded_max")
    panels = []
    for grading, (low, high) in variants.items():
        for rank, belligerent in enumerate(ranked[:PANELS]):
            rows = series[belligerent]
            band = svg.Band(
                rows[0]["name"],
                svg.PALETTE[rank % len(svg.PALETTE)],
                [(r["month"], r[low] or 0, r[high] or 0) for r in rows],
            )
            panels.append(
                svg.band_chart(
                    [band],
                    first,
                    last,
                    title=f"{rows[0]['name']} ({GRADINGS[grading]})",
                    y_label="civilians killed",
                    css_class=f"grading-{grading}",
                )
            )
    switch = ""
    if graded:
        switch = (
            "<p>Grading: "
            + "".join(
                f'<label><input type="radio" name="grading" value="{key}"'
                f"{' checked' if key == 'all' else ''}> {escape(label)}</label> "
                for key, label in GRADINGS.items()
            )
            + "</p>"
        )
    others = ", ".join(series[b][0]["name"] for b in ranked[PANELS:])
    return (
        '<p class="note">Airwars\' assessments per month, both countries together: the band runs'
        " from the sum of minimum to the sum of maximum civilians killed, the line is the minimum."
        " An incident alleged against several belligerents counts under each of them, so the"
        " panels must not be added up. Each panel has its own scale. Fair + Confirmed is Airwars'"
        " convention for its headline figures.</p>"
        + switch
        + f'<div class="panels">{"".join(panels)}</div>'
        + (
            '<p class="note">Also alleged in Airwars\' assessments, with fewer deaths:'
            f" {escape(others)}.</p>"
            if others
            else ""
        )
    )


def sources_section(con: duckdb.DuckDBPyConnection) -> str:
    monthly = queries.monthly_by_source(con).dicts()
    parts = []
    if monthly:
        by_source: dict[str, list] = defaultdict(list)
        for row in monthly:
            by_source[row["source"]].append(
                (row["month"], row["killed_min"] or 0, row["killed_max"] or 0)
            )
        bands = [
            svg.Band(source, SOURCE_COLORS.get(source, "#777"), points)
            for source, points in sorted(by_source.items())
        ]
        parts.append(
            '<p class="note">Each source\'s sum of civilians killed per month (band: sum of minima'
            " to sum of maxima; line: minima), over the months at least two sources cover. The"
            " sources count differently (Airwars assesses incidents, UCDP codes events with at"
            " least one death), so the bands are set side by side, never added.</p>"
            + svg.legend([(b.label, b.color) for b in bands])
            + svg.band_chart(
                bands,
                monthly[0]["month"],
                monthly[-1]["month"],
                title="Civilians killed per month, by source",
                y_label="civilians killed",
                width=900,
                height=260,
            )
        )
        months = sorted({row["month"] for row in monthly})
        cells = {(row["month"], row["source"]): row for row in monthly}
        sources = sorted(by_source)
        parts.append(
            "<details><summary>Figures per month and source</summary>"
            + table(
                ["month"] + [f"{s}: reports, killed" for s in sources],
                [
                    [month.strftime("%Y-%m")]
                    + [
                        (
                            f"{cells[month, s]['reports']} reports, killed "
                            + figure_range(
                                cells[month, s]["killed_min"], cells[month, s]["killed_max"]
                            )
                        )
                        if (month, s) in cells
                        else None
                        for s in sources
                    ]
                    for month in months
                ],
                scroll=True,
            )
            + "</details>"
        )
    if not queries.has_relation(con, "marts", "fct_period_comparisons"):
        return "".join(parts) + _missing("marts.fct_period_comparisons")
    claims = queries.period_comparisons(con).dicts()
    if claims:
        chart_rows = [
            (
                f"{c['claimant']} {c['period_start']:%Y-%m} vs {c['compared_source']}",
                c["min_sum"],
                c["max_sum"],
                c["claim_max"] if c["claim_max"] is not None else c["claim_min"],
            )
            for c in claims
        ]
        parts.append(
            "<h3>Period claims against event sums</h3>"
            '<p class="note">Each claim that counts a whole period (red dot) beside another'
            " source's sum over the same period, country, governorate and belligerent (blue bar:"
            " sum of minima to sum of maxima). Claims are compared, never added.</p>"
            + svg.range_rows(chart_rows, title="Period claims (dot) and event sums (bar)")
            + table(
                [
                    "claimant",
                    "period",
                    "where",
                    "belligerents",
                    "claim",
                    "compared with",
                    "reports",
                    "sum (all gradings)",
                    "sum (Fair + Confirmed)",
                    "claim inside",
                ],
                [
                    [
                        c["claimant"],
                        f"{c['period_start']} – {c['period_end']}",
                        c["admin1_name"] or c["country_iso3"],
                        c["belligerents"] or "any",
                        figure_range(c["claim_min"], c["claim_max"]),
                        c["compared_source"],
                        c["reports_counted"],
                        figure_range(c["min_sum"], c["max_sum"]),
                        figure_range(c["headline_min_sum"], c["headline_max_sum"]),
                        c["claim_inside_range"],
                    ]
                    for c in claims
                ],
            )
        )
    return "".join(parts)


def disagreements_section(con: duckdb.DuckDBPyConnection) -> str:
    if not queries.has_relation(con, "marts", "fct_harm_events"):
        return _missing("marts.fct_harm_events")
    counts = queries.agreement_counts(con).rows
    events = queries.disagreements(con).dicts()
    return (
        '<p class="note">Events whose reports come from several monitors that do not agree on'
        " the figure: <b>denied</b> (the alleged belligerent puts the deaths at 0 or below every"
        " monitor), <b>disjoint</b> (monitors' ranges do not meet), <b>overlap</b> (ranges meet but"
        " differ). Figures are civilians killed (ACLED: all fatalities).</p>"
        + table(["agreement", "events"], counts)
        + table(
            [
                "agreement",
                "date",
                "place",
                "governorate",
                "belligerents alleged",
                "sources",
                "Airwars",
                "grading",
                "UCDP",
                "ACLED",
                "claims (ledger)",
                "envelope",
            ],
            [
                [
                    e["agreement"],
                    str(e["event_date"]),
                    e["place"],
                    e["admin1_name"],
                    e["belligerents"],
                    e["n_sources"],
                    figure_range(
                        e["airwars_civilians_killed_min"], e["airwars_civilians_killed_max"]
                    ),
                    e["airwars_grading"],
                    figure_range(e["ucdp_civilians_killed_min"], e["ucdp_civilians_killed_max"]),
                    figure_range(e["acled_fatalities_min"], e["acled_fatalities_max"]),
                    e["ledger"],
                    figure_range(e["envelope_min"], e["envelope_max"]),
                ]
                for e in events
            ],
            scroll=True,
        )
    )


def map_section(con: duckdb.DuckDBPyConnection) -> str:
    areas = queries.reports_by_admin1(con).dicts()
    cells = queries.map_cells(con).rows
    if not cells:
        return "<p>The admin-1 grid seed is empty.</p>"
    value_of = {a["admin1_code"]: a["reports"] for a in areas}
    name_of = {a["admin1_code"]: a["admin1_name"] for a in areas}
    return (
        '<p class="note">Reports per governorate, all sources: one report per source record, so'
        " an event three sources report counts three times here (shading on a log scale). Cells are"
        f" {queries.MAP_CELL_HUNDREDTHS / 100:.1f}° squares of the bundled admin-1 grid (seed"
        " admin1_grid), each given the governorate covering most of it; hover a cell for its"
        " figure.</p>"
        + svg.grid_map(
            [(row, col, code) for row, col, _, code in cells],
            value_of,
            name_of,
            title="Reports by governorate",
            cell_degrees=queries.MAP_CELL_HUNDREDTHS / 100,
        )
        + table(
            ["governorate", "country", "reports", "Airwars", "UCDP", "ACLED", "ledger"],
            [
                [
                    a["admin1_name"],
                    a["country_iso3"],
                    a["reports"],
                    a["airwars"],
                    a["ucdp"],
                    a["acled"],
                    a["ledger"],
                ]
                for a in areas
            ],
            scroll=True,
        )
    )


def quality_section(con: duckdb.DuckDBPyConnection, now: datetime) -> str:
    reasons = queries.quarantine_by_reason(con).dicts()
    checks = queries.last_run_checks(con).dicts()
    loads = queries.freshness(con).dicts()
    failed = [c for c in checks if not c["success"]]
    parts = [
        "<h3>Quarantine by reason</h3>",
        f'<p class="note">{sum(r["records"] for r in reasons):,} records held in'
        " audit.rejected_records (numbers in reasons replaced by N so that reasons of one kind"
        " count together).</p>",
    ]
    if reasons:
        parts.append(
            svg.bar_rows(
                [(f"{r['source']}: {r['reason_kind']}", r["records"]) for r in reasons[:15]],
                title="Quarantined records by reason (largest 15)",
            )
        )
        parts.append(
            "<details><summary>All reasons</summary>"
            + table(
                ["source", "reason", "records", "example"],
                [[r["source"], r["reason_kind"], r["records"], r["example"]] for r in reasons],
                scroll=True,
            )
            + "</details>"
        )
    parts.append("<h3>Checks of the last run</h3>")
    if checks:
        parts.append(
            f'<p class="note">Run {escape(checks[0]["run_id"])}: {len(checks)} expectations'
            f" checked, {len(failed)} not met (a publish needs every error-level one met, so these"
            " are warnings).</p>"
            + table(
                ["suite", "expectation", "table", "severity", "unexpected", "observed"],
                [
                    [
                        c["suite"],
                        c["expectation"],
                        c["table_name"],
                        c["severity"],
                        c["unexpected_count"],
                        c["observed_value"],
                    ]
                    for c in failed
                ],
            )
        )
    parts.append("<h3>Freshness per source</h3>")
    parts.append(
        table(
            ["source", "last loaded (UTC)", "age", "loads", "rows in", "accepted", "rejected"],
            [
                [
                    load["source"],
                    f"{load['last_loaded_at']:%Y-%m-%d %H:%M}",
                    _age(now - load["last_loaded_at"]),
                    load["loads"],
                    load["rows_in"],
                    load["rows_accepted"],
                    load["rows_rejected"],
                ]
                for load in loads
            ],
        )
    )
    return "".join(parts)


def _age(delta) -> str:
    days = delta.days
    return f"{days} days" if days >= 2 else f"{int(delta.total_seconds() // 3600)} hours"
