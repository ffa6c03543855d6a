"""`civcas ledger check FILE...`: every problem of ledger files before they are dropped in.

What stops a file from landing (not YAML, unknown fields, a broken document block) is found by
reading it (ingestion/ledger.py and its JSON schema). Everything else is found by the pipeline's
own rules, run on the files landed in an in-memory DuckDB: the ledger's dbt models (compiled SQL,
civcas/compiled_models.py) say which claims would be quarantined and why, and the error-level
expectations of the ledger suites (expectations/suites/) say what would fail the run (a part
above its whole, children + women above the total). `part_of` is resolved among the files
checked and the other ledger files of their folders. Each problem names file, line, claim and
field, with a fix hint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from civcas.compiled_models import catalog_connection, create_compiled_models
from expectations.suites import SUITES_DIR, ExpectationSpec, load_suite
from ingestion import ledger as lg
from ingestion.landing import ensure_load_log

RUN_FAILING_SUITES = ("ledger_claims", "ledger_claim_parts")
QUANTITY_HINT = (
    "write it as the document does in a form of seeds/quantity_conventions.csv"
    " (e.g. 'at least 300', 'dozens', 'between 37 and 62'), or add a convention"
)
DATE_HINT = "write YYYY-MM-DD, YYYY-MM or YYYY, and check the year"
HINTS = {
    "id": "give each claim its own id",
    "claimant": "add the claimant to seeds/claimants.csv and seeds/claimant_aliases.csv,"
    " or use a listed name",
    "country": "use a name of seeds/countries.csv",
    "belligerents": "use a name of seeds/belligerent_aliases.csv, or add an alias there",
    "part_of": "use a claim id of this document, or <document id>/<claim id>",
    "date": DATE_HINT,
    "date_end": DATE_HINT,
    **{measure: QUANTITY_HINT for measure in lg.QUANTITY_FIELDS},
}


def _quiet(step: str) -> None:
    pass


def check_files(
    paths: Sequence[Path], progress: Callable[[str], None] = _quiet
) -> list[lg.Problem]:
    """Every problem of `paths`; `progress` is told each step as it starts."""
    progress(f"reading {len(paths)} file{'s' if len(paths) != 1 else ''}")
    checked = {path.resolve() for path in paths}
    siblings = sorted(
        {
            other.resolve()
            for path in paths
            for other in [*path.parent.glob("*.yaml"), *path.parent.glob("*.yml")]
            if other.resolve() not in checked
        }
    )
    ledgers = {str(path): lg.read_file(path, str(path)) for path in paths}
    problems: list[lg.Problem] = []
    landable = []
    for name, ledger in ledgers.items():
        if not ledger.path.exists():
            problems.append(lg.Problem(name, 1, "(file)", "no such file", "check the path"))
            continue
        blocking = lg.structural_problems(ledger)
        problems += blocking + [p for p in lg.schema_problems(ledger) if not p.blocking]
        if not blocking:
            landable.append(ledger)
    context = [
        ledger for path in siblings if not lg.structural_problems(ledger := lg.read_file(path))
    ]
    if landable:
        progress(
            "running the pipeline's own rules on the claims (dbt's compiled models in DuckDB,"
            f" with {len(context)} other ledger file{'s' if len(context) != 1 else ''} beside)"
        )
    problems += _pipeline_problems(landable, context, problems)
    unique = {(p.file, p.line, p.field, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.file, p.line, p.field))


def _pipeline_problems(
    ledgers: list[lg.LedgerFile],
    context: list[lg.LedgerFile],
    found: list[lg.Problem],
) -> list[lg.Problem]:
    """The problems the pipeline would find in `ledgers`, with `context` landed before them; a
    line the reading already reported is not reported again."""
    if not ledgers:
        return []
    con = catalog_connection()
    try:
        ensure_load_log(con)
        lg.ensure_raw_tables(con)
        for ledger in [*context, *ledgers]:
            lg.land_file(con, ledger.path, ledger.name)
        create_compiled_models(con)
        claims = _Claims(con, {ledger.name: ledger for ledger in ledgers})
        problems = _document_id_problems(con, claims.ledgers)
        problems += _quarantine_problems(con, claims)
        problems += _run_failures(con, claims)
    finally:
        con.close()
    reported = {(p.file, p.line) for p in found}
    return [p for p in problems if (p.file, p.line) not in reported]


class _Claims:
    """Where each landed claim of the checked files is: its file, and its index there, by landed
    row (source_file, row_number: the claim's number in its file) and by claim key."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ledgers: dict[str, lg.LedgerFile]):
        self.ledgers = ledgers
        self.at = {
            (name, index + 1): (ledger, index)
            for name, ledger in ledgers.items()
            for index in range(len(ledger.claims))
        }
        self.by_key = {
            claim_key: (source_file, row_number)
            for source_file, row_number, claim_key in con.execute(
                "select source_file, row_number, claim_key"
                " from intermediate.int_ledger__claims_triaged"
            ).fetchall()
            if (source_file, row_number) in self.at
        }

    def problem(self, row: tuple[str, int], name: str | None, message: str, hint: str):
        ledger, index = self.at[row]
        location = ("claims", index, name) if name else ("claims", index)
        return lg.Problem(
            ledger.name, ledger.line_of(location), ledger.label(location), message, hint, False
        )


def _quarantine_problems(con: duckdb.DuckDBPyConnection, claims: _Claims) -> list[lg.Problem]:
    """Each problem of a quarantined claim, at the YAML field the triage model names (the claim
    itself when it names none, or a field the claim does not write)."""
    problems = []
    for source_file, row_number, field, message in con.execute(
        "select source_file, row_number, unnest(problems, recursive := true)"
        " from intermediate.int_ledger__claims_triaged where status = 'quarantined'"
    ).fetchall():
        row = (source_file, row_number)
        if row not in claims.at:
            continue  # a claim of a context file
        ledger, index = claims.at[row]
        name = field if field in ledger.claims[index] else None
        problems.append(
            claims.problem(row, name, message, HINTS.get(name or "", "see docs/ledger.md"))
        )
    return problems


def _document_id_problems(
    con: duckdb.DuckDBPyConnection, ledgers: dict[str, lg.LedgerFile]
) -> list[lg.Problem]:
    problems = []
    for document_id, files in con.execute(
        "select document_id, list(distinct source_file order by source_file)"
        " from intermediate.int_ledger__documents_triaged group by all"
        " having count(distinct source_file) > 1"
    ).fetchall():
        for name in files:
            if name in ledgers:
                others = ", ".join(other for other in files if other != name)
                problems.append(
                    lg.Problem(
                        name,
                        ledgers[name].line_of(("document", "id")),
                        "document.id",
                        f"document id '{document_id}' is also used by {others}; the file landed"
                        " last would replace the other",
                        "give each document its own id",
                        False,
                    )
                )
    return problems


def _run_failures(con: duckdb.DuckDBPyConnection, claims: _Claims) -> list[lg.Problem]:
    """Rows of the ledger suites' error-level expectations that would fail the run. The suite
    queries read marts.fct_civilian_harm_reports, whose ledger rows are int_ledger__reports."""
    con.execute(
        "create or replace view marts.fct_civilian_harm_reports as"
        " select * from intermediate.int_ledger__reports"
    )
    problems = []
    for suite_name in RUN_FAILING_SUITES:
        suite = load_suite(SUITES_DIR / f"{suite_name}.yml")
        for spec in suite.expectations:
            if spec.severity != "error" or spec.type != "expect_column_values_to_be_in_set":
                continue
            failing = con.execute(
                f"select * from ({suite.source_sql}) as checked"
                f" where not list_contains(?, {spec.kwargs['column']})",
                [spec.kwargs["value_set"]],
            )
            columns = [column[0] for column in failing.description]
            for row in failing.fetchall():
                record = dict(zip(columns, row, strict=True))
                report_id = record.get("report_id") or record["part_report_id"]
                claim_key = report_id.removeprefix("ledger:")
                if claim_key in claims.by_key:
                    row = claims.by_key[claim_key]
                    problems += _run_failure(con, claims, row, suite_name, spec, record)
    return problems


def _run_failure(
    con: duckdb.DuckDBPyConnection,
    claims: _Claims,
    row: tuple[str, int],
    suite_name: str,
    spec: ExpectationSpec,
    record: dict[str, Any],
) -> list[lg.Problem]:
    fails = "the run would fail and nothing would be published"
    if spec.name == "part_within_whole":
        whole = record["whole_report_id"].removeprefix("ledger:")
        return [
            claims.problem(
                row,
                measure,
                f"the part (at least {record[f'part_{measure}_min']}) exceeds the minimum of its"
                f" whole '{whole}' ({record[f'whole_{measure}_min']}); {fails}",
                "check both figures and part_of",
            )
            for measure in record["measures_exceeding_whole"].split(", ")
        ]
    if spec.name == "children_and_women_within_total":
        parts, total = con.execute(
            "select coalesce(children_killed_min, 0) + coalesce(women_killed_min, 0),"
            " civilians_killed_max from marts.fct_civilian_harm_reports where report_id = ?",
            [record["report_id"]],
        ).fetchone()
        return [
            claims.problem(
                row,
                "civilians_killed",
                f"children + women killed (at least {parts}) exceed the total (at most {total});"
                f" {fails}",
                "check the figures against the quote",
            )
        ]
    description = " ".join(spec.description.split())
    return [
        claims.problem(
            row,
            None,
            f"{description} ({suite_name}: {spec.name}); {fails}",
            "see docs/ledger.md",
        )
    ]


def _say(step: str) -> None:
    # On stderr: stdout holds only the problems and the verdict, for scripts.
    print(f"ledger check: {step}", file=sys.stderr, flush=True)


def main(files: Sequence[str]) -> int:
    problems = check_files([Path(name) for name in files], progress=_say)
    for problem in problems:
        kind = "error" if problem.blocking else "claim"
        print(f"{problem}  [{kind}]")
    files_with = len({problem.file for problem in problems})
    if problems:
        print(
            f"ledger check: {len(problems)} problem{'s' if len(problems) != 1 else ''} in"
            f" {files_with} of {len(files)} file{'s' if len(files) != 1 else ''}"
            " ([error]: the file cannot land; [claim]: the claim would be quarantined or"
            " the run would fail)"
        )
        return 1
    print(f"ledger check: {len(files)} file{'s' if len(files) != 1 else ''} OK")
    return 0
