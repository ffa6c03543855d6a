"""`civcas review`: one pair of reports side by side in the terminal, and the analyst's decision
appended to the decisions file of the landing folder (docs/reconciliation.md, "The review loop").

The pair is the next of marts.rpt_links_to_review, or the one asked for. A decision (`same` or
`different`, a note, who decided) becomes a row of `<landing>/decisions/review.csv`, the columns of
every decisions file; the next `civcas run` lands it and applies it. Skipping writes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.decisions import COLUMNS, SOURCE

REVIEW_FILE = "review.csv"

# What an analyst compares, in this order: (label, column of fct_civilian_harm_reports).
FIELDS = (
    ("report", "report_id"),
    ("date", "event_date"),
    ("to", "event_date_end"),
    ("date precision", "date_precision"),
    ("place", "place"),
    ("admin-1", "admin1_name"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("place precision", "geo_precision"),
    ("civilians killed (min)", "civilians_killed_min"),
    ("civilians killed (max)", "civilians_killed_max"),
    ("grading", "grading"),
    ("claimant", "claimant_id"),
)

EVIDENCE_SQL = """
select
    candidates.report_id_a, candidates.report_id_b, candidates.days_apart, candidates.km_apart,
    candidates.score, candidates.rule_linked, candidates.cited_code, candidates.used_in_event,
    candidates.why_not_linked, review.review_reasons
from marts.fct_link_candidates as candidates
left join marts.rpt_links_to_review as review
    on candidates.report_id_a = review.report_id_a and candidates.report_id_b = review.report_id_b
where candidates.report_id_a = least(?, ?) and candidates.report_id_b = greatest(?, ?)
"""

NEXT_SQL = """
select report_id_a, report_id_b from marts.rpt_links_to_review
order by review_order
limit 1 offset ?
"""


class ReviewError(Exception):
    """A pair that cannot be shown: the message says which and why."""


@dataclass(frozen=True)
class Decision:
    report_id_a: str
    report_id_b: str
    decision: str
    note: str
    decided_by: str


def next_pair(con: duckdb.DuckDBPyConnection, skip: int = 0) -> tuple[str, str] | None:
    row = con.execute(NEXT_SQL, [skip]).fetchone()
    return (row[0], row[1]) if row else None


def side_by_side(con: duckdb.DuckDBPyConnection, report_a: str, report_b: str) -> str:
    """Both reports' fields in two columns, then the evidence about the pair."""
    columns = ", ".join([*(column for _, column in FIELDS), "source_url"])
    reports = {
        row[0]: row
        for row in con.execute(
            f"select {columns} from marts.fct_civilian_harm_reports where report_id in (?, ?)",
            [report_a, report_b],
        ).fetchall()
    }
    missing = [report for report in (report_a, report_b) if report not in reports]
    if missing:
        raise ReviewError(f"no report {', '.join(missing)} in marts.fct_civilian_harm_reports")
    width = max(len(label) for label, _ in FIELDS) + 2
    cell = 44
    lines = []
    for index, (label, _) in enumerate(FIELDS):
        left, right = (_shown(reports[report][index]) for report in (report_a, report_b))
        lines.append(f"{label:<{width}}{left[:cell]:<{cell}}  {right[:cell]}")
    lines += [f"{report}: {_shown(reports[report][-1])}" for report in (report_a, report_b)]
    evidence = con.execute(EVIDENCE_SQL, [report_a, report_b] * 2).fetchone()
    if evidence is None:
        lines.append("evidence: the rules never scored this pair and no citation names it")
    else:
        _, _, days, km, score, rule_linked, cited, used, why_not, reasons = evidence
        lines += [
            f"days apart {_shown(days)}, km apart {_shown(km)}, score {_shown(score)},"
            f" rules link it: {'yes' if rule_linked else 'no'}, cited code: {_shown(cited)}",
            f"in one event today: {'yes' if used else 'no'}" + (f" ({why_not})" if why_not else ""),
            f"to review because: {reasons or '(not listed)'}",
        ]
    return "\n".join(lines)


def append_decision(landing_dir: Path, decision: Decision) -> Path:
    """Append one row to <landing>/decisions/review.csv (its header first when new)."""
    path = landing_dir / SOURCE / REVIEW_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        if new:
            writer.writerow(COLUMNS)
        writer.writerow(
            [
                decision.report_id_a,
                decision.report_id_b,
                decision.decision,
                decision.note,
                decision.decided_by,
            ]
        )
    return path


def ask(
    report_a: str, report_b: str, decided_by: str, prompt: Callable[[str], str]
) -> Decision | None:
    """The analyst's decision on one pair, or None to skip."""
    while True:
        answer = prompt("same, different or skip? [s/d/k] ").strip().lower()
        if answer in ("k", "skip", ""):
            return None
        if answer in ("s", "same", "d", "different"):
            break
    note = ""
    while not note:
        note = prompt("note (why, in one line): ").strip()
    who = decided_by
    while not who:
        who = prompt("decided by: ").strip()
    decision = "same" if answer.startswith("s") else "different"
    return Decision(report_a, report_b, decision, note, who)


def _shown(value: object) -> str:
    """A value as one line of plain text: terminal control bytes in the data are not sent."""
    if value is None:
        return "-"
    return "".join(char if char.isprintable() else "?" for char in str(value))
