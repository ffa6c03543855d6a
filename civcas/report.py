"""What `civcas run` prints: the outcome of one run, its loads, and its figures read back from
the warehouse (`audit.loads`, `audit.validation_results`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from civcas import warehouse as wh
from civcas.lake import LakeError
from civcas.published import NothingPublished, describe, open_published
from civcas.settings import Settings
from expectations.results import failure_detail, read_results


@dataclass
class RunReport:
    success: bool
    run_id: str
    warehouse: str
    published: bool
    loads: list[str] = field(default_factory=list)
    rows_landed: int | None = None  # None: not counted (the build could not be read)
    rows_rejected: int | None = None  # None: not counted (audit.loads was not built)
    validation_failures: list[str] = field(default_factory=list)
    validation_warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    kept_build: str | None = None
    # Nothing landed and the code is the publisher's: nothing was built, checked or published.
    up_to_date: bool = False
    # What the warehouse holds in audit.rejected_records, per source (quarantine_by_source).
    quarantine: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    # Records kept with a field nulled (audit.field_issues): (source, field, issues); and the
    # names no seed maps (audit.unmapped_names): (source, field, name, reports).
    field_issues: list[tuple[str, str, int]] = field(default_factory=list)
    unmapped: list[tuple[str, str, str, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.up_to_date:
            return [
                f"run {self.run_id}: succeeded; up to date: nothing landed, warehouse unchanged",
                *(f"  load: {line}" for line in self.loads),
                f"  warehouse: {self.warehouse}",
            ]
        state = "published" if self.published else "NOT published (previous warehouse kept)"
        out = [f"run {self.run_id}: {'succeeded' if self.success else 'FAILED'}; {state}"]
        out += [f"  load: {line}" for line in self.loads]
        out.append(f"  this run: {self._landed()}")
        held = ", ".join(
            f"{source} {quarantined:,} quarantined + {out_of_scope:,} out of scope"
            + (f" + {superseded:,} superseded" if superseded else "")
            + (f" + {withdrawn:,} withdrawn" if withdrawn else "")
            for source, quarantined, out_of_scope, superseded, withdrawn in self.quarantine
        )
        out.append(f"  held in audit.rejected_records: {held or 'none'}")
        out += [f"  {line}" for line in field_issue_lines(self.field_issues, self.unmapped)]
        out.append(
            f"  validation: {len(self.validation_failures)} error-level"
            f" {'failure' if len(self.validation_failures) == 1 else 'failures'},"
            f" {len(self.validation_warnings)}"
            f" {'warning' if len(self.validation_warnings) == 1 else 'warnings'}"
        )
        out += [f"    FAILED {line}" for line in self.validation_failures]
        out += [f"    warn   {line}" for line in self.validation_warnings]
        out += [f"  error: {line}" for line in self.errors]
        out += [f"  warning: {line}" for line in self.notices]
        out.append(f"  warehouse: {self.warehouse}")
        if self.kept_build:
            out.append(
                f"  failed build kept for inspection (the newest few are kept): {self.kept_build}"
            )
        return [_plain(line) for line in out]

    def _landed(self) -> str:
        if self.rows_landed is None:
            return "rows landed not counted (its build could not be read)"
        kept_out = (
            f"{self.rows_rejected:,} kept out of the marts"
            " (quarantined, superseded or out of scope)"
            if self.rows_rejected is not None
            else "kept out of the marts not counted (the build failed before audit.loads)"
        )
        if not self.published:
            return f"{self.rows_landed:,} rows landed into its build, none published; {kept_out}"
        return f"{self.rows_landed:,} rows landed, {kept_out}"


# Colour and cursor codes of a pasted log (dbt's); the summary is plain text.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")


def _plain(line: str) -> str:
    return _TERMINAL_CODES.sub("", line)


def summarize_build(
    report: RunReport, settings: Settings, run_id: str, load_ids: list[str]
) -> None:
    """Read the figures of this run from the published warehouse (or from the kept failed
    build)."""
    published = report.published
    path = settings.warehouse if published else wh.build_path(settings, run_id)
    if not published and not path.exists():
        return
    try:
        con = open_published(settings) if published else wh.connect(path, read_only=True)
    except NothingPublished:
        return
    except (duckdb.Error, LakeError) as error:
        path = describe(settings) if published else path
        report.errors.append(f"could not read the figures of this run from {path}: {error}")
        return
    try:
        tables = {
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if "raw._loads" in tables:  # written while landing: there even when dbt failed
            report.rows_landed = con.execute(
                "select coalesce(sum(rows_in), 0) from raw._loads where list_contains(?, load_id)",
                [load_ids],
            ).fetchone()[0]
        if "audit.loads" in tables:
            report.rows_rejected = con.execute(
                "select coalesce(sum(rows_rejected), 0)"
                " from audit.loads where list_contains(?, load_id)",
                [load_ids],
            ).fetchone()[0]
        if "audit.rejected_records" in tables:
            report.quarantine = quarantine_by_source(con)
        if "audit.field_issues" in tables:
            report.field_issues = field_issues_by_source(con)
        if "audit.unmapped_names" in tables:
            report.unmapped = unmapped_names(con)
        if "audit.validation_results" in tables:
            failed = [r for r in read_results(con, run_id) if not r.success]
            for r in sorted(failed, key=lambda r: (r.severity, r.suite, r.expectation)):
                detail = failure_detail(r.unexpected_count, r.observed_value, r.first_failing)
                line = f"{r.suite}.{r.expectation} on {r.table_name}: {detail}"
                (
                    report.validation_failures
                    if r.severity == "error"
                    else report.validation_warnings
                ).append(line)
    finally:
        con.close()


def quarantine_by_source(
    con: duckdb.DuckDBPyConnection,
) -> list[tuple[str, int, int, int, int]]:
    """Records kept out of the marts, per source, by their status column: (source, quarantined
    (unreadable ones included), out of scope, superseded, withdrawn by their source)."""
    return con.execute(
        "select source, count(*) filter (where status in ('quarantined', 'unreadable')),"
        " count(*) filter (where status = 'out_of_scope'),"
        " count(*) filter (where status = 'superseded'),"
        " count(*) filter (where status = 'withdrawn')"
        " from audit.rejected_records group by source order by source"
    ).fetchall()


def field_issues_by_source(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """Problems with a secondary field of records that stay in the marts (the field nulled or
    the belligerent unmapped), per source and field."""
    return con.execute(
        "select source, field, count(*) from audit.field_issues"
        " group by all order by source, count(*) desc, field"
    ).fetchall()


# How many unmapped names a summary lists; audit.unmapped_names holds them all.
UNMAPPED_NAMES_SHOWN = 10


def unmapped_names(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, int]]:
    """Names no seed maps, most reported first (at most UNMAPPED_NAMES_SHOWN)."""
    return con.execute(
        "select source, field, name, reports from audit.unmapped_names"
        " order by reports desc, source, name limit ?",
        [UNMAPPED_NAMES_SHOWN],
    ).fetchall()


def field_issue_lines(
    issues: list[tuple[str, str, int]], unmapped: list[tuple[str, str, str, int]]
) -> list[str]:
    """The summary's lines on records kept with a field nulled, and on unmapped names."""
    per_source: dict[str, list[str]] = {}
    for source, name, count in issues:
        per_source.setdefault(source, []).append(f"{name} {count}")
    kept = "; ".join(f"{source}: {', '.join(fields)}" for source, fields in per_source.items())
    out = [f"kept with a field nulled (audit.field_issues): {kept or 'none'}"]
    if unmapped:
        out.append("names no seed maps, alleged as unmapped (audit.unmapped_names):")
        out += [
            f"  {source} {name_field} {name!r}: {reports} reports"
            for source, name_field, name, reports in unmapped
        ]
    return out
