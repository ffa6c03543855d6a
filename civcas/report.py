"""What `civcas run` prints: the outcome of one run, its loads, and its figures read back from
the warehouse (`audit.loads`, `audit.validation_results`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from civcas import warehouse as wh
from civcas.settings import Settings
from expectations.results import failure_detail, read_results


@dataclass
class RunReport:
    success: bool
    run_id: str
    warehouse: str
    published: bool
    loads: list[str] = field(default_factory=list)
    rows_landed: int = 0
    rows_rejected: int = 0
    validation_failures: list[str] = field(default_factory=list)
    validation_warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    kept_build: str | None = None
    # What the warehouse holds in audit.rejected_records: (source, quarantined, out of scope).
    quarantine: list[tuple[str, int, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        state = "published" if self.published else "NOT published (previous warehouse kept)"
        out = [f"run {self.run_id}: {'succeeded' if self.success else 'FAILED'}; {state}"]
        out += [f"  load: {line}" for line in self.loads]
        out.append(
            f"  this run: {self.rows_landed:,} rows landed, {self.rows_rejected:,} kept out of the"
            " marts (quarantined or out of scope)"
        )
        held = ", ".join(
            f"{source} {quarantined:,} quarantined + {out_of_scope:,} out of scope"
            for source, quarantined, out_of_scope in self.quarantine
        )
        out.append(f"  held in audit.rejected_records: {held or 'none'}")
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
        return out


def summarize_build(
    report: RunReport, settings: Settings, run_id: str, load_ids: list[str]
) -> None:
    """Read the figures of this run from the published file (or from the kept failed build)."""
    path = settings.warehouse if report.published else wh.build_path(settings, run_id)
    if not path.exists():
        return
    try:
        con = wh.connect(path, read_only=True)
    except duckdb.Error as error:
        report.errors.append(f"could not read the figures of this run from {path}: {error}")
        return
    try:
        tables = {
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if load_ids and "audit.loads" in tables:
            report.rows_landed, report.rows_rejected = con.execute(
                "select coalesce(sum(rows_in), 0), coalesce(sum(rows_rejected), 0)"
                " from audit.loads where list_contains(?, load_id)",
                [load_ids],
            ).fetchone()
        if "audit.rejected_records" in tables:
            report.quarantine = quarantine_by_source(con)
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


def quarantine_by_source(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int]]:
    """Records kept out of the marts, per source: quarantined, and out of scope (triage's reason
    prefix, macros/triage.sql)."""
    return con.execute(
        "select source, count(*) filter (where reason not like 'out of scope:%'),"
        " count(*) filter (where reason like 'out of scope:%')"
        " from audit.rejected_records group by source order by source"
    ).fetchall()
