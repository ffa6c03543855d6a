"""`civcas status`: what the published warehouse holds, since when, from which loads, and with
which warnings, read from its audit tables (read-only)."""

from __future__ import annotations

import duckdb

from civcas import lake as lakes
from civcas import publish_log
from civcas.publish_guard import published_wals, wal_warning
from civcas.published import NothingPublished, current_release, reading
from civcas.report import (
    field_issue_lines,
    field_issues_by_source,
    quarantine_by_source,
    unmapped_names,
)
from civcas.settings import Settings
from expectations.results import failure_detail, read_results


def _count(number: int | None, noun: str) -> str:
    """`1 load`, `2,969 loads`: thousands separated, the noun in the plural it needs."""
    if number is None:
        return f"unknown {noun}s"
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


RECENT_PUBLISHES = 5
REPORTS_TABLE = "marts.fct_civilian_harm_reports"


def publish_lines(settings: Settings) -> list[str]:
    """The most recent publishes, newest first, and whether `civcas sql --as-of` can still read
    each (its release kept)."""
    publishes = publish_log.read(settings.publish_log)
    if not publishes:
        return []
    out = [
        f"recent publishes ({len(publishes):,} recorded in {settings.publish_log};"
        " `civcas sql --as-of WHEN` reads a kept one):"
    ]
    for publish in reversed(publishes[-RECENT_PUBLISHES:]):
        kept = (settings.releases_dir / publish.release / settings.warehouse.name).exists()
        reports = publish.tables.get(REPORTS_TABLE)
        out.append(
            f"  {publish.published_at:%Y-%m-%d %H:%M:%S} UTC run {publish.run_id}:"
            f" {_count(reports, 'report')}, {'kept' if kept else 'no longer kept'}"
        )
    return out


def lake_publish_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The lake's most recent publishes, from its snapshots (each recorded with its run id).
    Every snapshot the lake lists is readable with `--as-of`: maintenance removes the expired."""
    publishes = lakes.publishes(con)
    out = [
        f"recent publishes ({_count(len(publishes), 'snapshot')} in the lake;"
        " `civcas sql --as-of WHEN` reads any of them):"
    ]
    for publish in reversed(publishes[-RECENT_PUBLISHES:]):
        reports = con.execute(
            f"select count(*) from {REPORTS_TABLE} at (version => ?)", [publish.snapshot_id]
        ).fetchone()[0]
        out.append(
            f"  {publish.published_at:%Y-%m-%d %H:%M:%S} UTC run {publish.run_id}:"
            f" {_count(reports, 'report')}, snapshot {publish.snapshot_id}"
        )
    return out


def status_lines(settings: Settings) -> list[str]:
    try:
        release = current_release(settings)
    except NothingPublished as nothing:
        return [f"{nothing}; run `civcas run`"]
    out = [f"published: {release.where}", f"  at {release.published_at:%Y-%m-%d %H:%M:%S} UTC"]
    if release.snapshot_id is not None:
        out.append(f"  lake snapshot {release.snapshot_id}, published by run {release.run_id}")
    if settings.lake is None:
        out += [f"  warning: {wal_warning(wal)}" for wal in published_wals(settings.warehouse)]
    with reading(settings) as con:
        run = con.execute(
            "select run_id, max(checked_at) from audit.validation_results"
            " group by run_id order by 2 desc limit 1"
        ).fetchone()
        if run:
            out.append(f"  by run {run[0]}")
        out += publish_lines(settings) if settings.lake is None else lake_publish_lines(con)
        out.append("loads (per source):")
        for source, loads, rows_in, rejected, first, last in con.execute(
            "select source, count(*), sum(rows_in), sum(rows_rejected), min(loaded_at),"
            " max(loaded_at) from audit.loads group by source order by source"
        ).fetchall():
            out.append(
                f"  {source}: {_count(loads, 'load')}, {_count(rows_in, 'row')} in,"
                f" {rejected:,} kept out of the marts;"
                f" loaded {first:%Y-%m-%d %H:%M} .. {last:%Y-%m-%d %H:%M}"
            )
        if run:
            failed = sorted(
                (r for r in read_results(con, run[0]) if not r.success),
                key=lambda r: (r.severity, r.suite, r.expectation),
            )
            out.append(f"warnings of the published build: {len(failed):,}")
            out += [
                f"  {r.severity} {r.suite}.{r.expectation} on {r.table_name}:"
                f" {failure_detail(r.unexpected_count, r.observed_value, r.first_failing)}"
                for r in failed
            ]
        quarantine = quarantine_by_source(con)
        kept_out = sum(sum(counts) for _, *counts in quarantine)
        out.append(
            f"kept out of the marts: {_count(kept_out, 'record')}"
            ' (reasons: civcas sql "select * from audit.rejected_records")'
        )
        out += [
            f"  {source}: {quarantined:,} quarantined, {out_of_scope:,} out of scope"
            + (f", {superseded:,} superseded" if superseded else "")
            + (f", {withdrawn:,} withdrawn by their source" if withdrawn else "")
            for source, quarantined, out_of_scope, superseded, withdrawn in quarantine
        ]
        # A warehouse published before field issues existed has neither table.
        if con.execute(
            "select count(*) = 2 from information_schema.tables where table_schema = 'audit'"
            " and table_name in ('field_issues', 'unmapped_names')"
        ).fetchone()[0]:
            out += field_issue_lines(field_issues_by_source(con), unmapped_names(con))
    return out
