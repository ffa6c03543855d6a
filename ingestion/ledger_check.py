"""`civcas ledger check FILE...`: every problem of ledger files before they are dropped in.

Reports, with file, line, field and a fix hint: what stops a file from landing (not YAML, unknown
fields, a broken document block) and what would quarantine a claim (a bad date, an unknown
claimant, country or belligerent, an unreadable quantity, a `part_of` that points nowhere), plus
what would fail the run (a part larger than its whole, children + women above the total).
`part_of` is resolved among the files checked and the other ledger files of their folders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ingestion import ledger as lg
from ingestion import ledger_values as lv

MEASURES = lg.QUANTITY_FIELDS


@dataclass
class _Claim:
    ledger: lg.LedgerFile
    index: int
    key: str  # <document id>/<claim id>
    fields: dict[str, Any]

    @property
    def location(self) -> tuple[Any, ...]:
        return ("claims", self.index)

    def line(self, name: str | None = None) -> int:
        return self.ledger.line_of((*self.location, name) if name else self.location)

    def problem(
        self, name: str | None, message: str, hint: str, blocking: bool = False
    ) -> lg.Problem:
        label = self.ledger.label((*self.location, name) if name else self.location)
        return lg.Problem(self.ledger.name, self.line(name), label, message, hint, blocking)


def _lookup(seed: str, column: str) -> set[str]:
    return {row[column].strip().lower() for row in lv.read_csv(seed)}


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip()


def check_files(paths: Sequence[Path], today: date | None = None) -> list[lg.Problem]:
    today = today or date.today()
    named = [(path, str(path)) for path in paths]
    checked = {path.resolve() for path in paths}
    siblings = sorted(
        {
            other.resolve()
            for path in paths
            for other in [*path.parent.glob("*.yaml"), *path.parent.glob("*.yml")]
            if other.resolve() not in checked
        }
    )
    ledgers = [lg.read_file(path, name) for path, name in named]
    context = [lg.read_file(path) for path in siblings]

    problems: list[lg.Problem] = []
    for ledger in ledgers:
        if not ledger.path.exists():
            problems.append(lg.Problem(ledger.name, 1, "(file)", "no such file", "check the path"))
            continue
        problems += lg.structural_problems(ledger)
        problems += [problem for problem in lg.schema_problems(ledger) if not problem.blocking]

    claims = {ledger.name: _claims(ledger) for ledger in [*ledgers, *context]}
    problems += _document_id_problems([*ledgers, *context], {ledger.name for ledger in ledgers})
    all_claims = [claim for found in claims.values() for claim in found]
    by_key: dict[str, list[_Claim]] = defaultdict(list)
    for claim in all_claims:
        by_key[claim.key].append(claim)
    for ledger in ledgers:
        for claim in claims[ledger.name]:
            problems += _value_problems(claim, today)
            problems += _part_problems(claim, by_key)
            if len(by_key[claim.key]) > 1 and claim.ledger is by_key[claim.key][0].ledger:
                problems.append(
                    claim.problem(
                        "id",
                        f"claim id '{claim.fields.get('id')}' is used twice in this document",
                        "give each claim its own id",
                    )
                )
    unique = {(p.file, p.line, p.field, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.file, p.line, p.field))


def _claims(ledger: lg.LedgerFile) -> list[_Claim]:
    document_id = _text(ledger.document.get("id"))
    return [
        _Claim(ledger, index, f"{document_id}/{_text(claim.get('id'))}", claim)
        for index, claim in enumerate(ledger.claims)
        if isinstance(claim, dict)
    ]


def _document_id_problems(ledgers: Iterable[lg.LedgerFile], reported: set[str]) -> list[lg.Problem]:
    seen: dict[str, list[lg.LedgerFile]] = defaultdict(list)
    for ledger in ledgers:
        if ledger.document.get("id") is not None:
            seen[str(ledger.document["id"])].append(ledger)
    problems = []
    for document_id, found in seen.items():
        if len(found) < 2:
            continue
        for ledger in found:
            if ledger.name in reported:
                others = ", ".join(other.name for other in found if other is not ledger)
                problems.append(
                    lg.Problem(
                        ledger.name,
                        ledger.line_of(("document", "id")),
                        "document.id",
                        f"document id '{document_id}' is also used by {others}; the file landed"
                        " last"
                        " would replace the other",
                        "give each document its own id",
                    )
                )
    return problems


def _published_end(ledger: lg.LedgerFile) -> date | None:
    published = lv.parse_partial_date(ledger.texts.get(("document", "published")))
    if published is None:
        return None
    precision = ledger.document.get("published_precision")
    if precision == "month":
        return lv.parse_partial_date(str(published.start)[:7]).end
    if precision == "year":
        return lv.parse_partial_date(str(published.start)[:4]).end
    return published.end


def _value_problems(claim: _Claim, today: date) -> list[lg.Problem]:
    fields, texts = claim.fields, claim.ledger.texts
    problems = []
    dates = {}
    for name in ("date", "date_end"):
        text = texts.get((*claim.location, name))
        if text is None:
            continue
        parsed = lv.parse_partial_date(text)
        if parsed is None:
            problems.append(
                claim.problem(
                    name, f"'{text}' is not a real date", "write YYYY-MM-DD, YYYY-MM or YYYY"
                )
            )
            continue
        dates[name] = parsed
        if parsed.start < lv.earliest_event_date():
            problems.append(
                claim.problem(
                    name,
                    f"{text} is before {lv.earliest_event_date()}, impossible for this conflict",
                    "check the year",
                )
            )
        if parsed.start > today:
            problems.append(claim.problem(name, f"{text} is in the future", "check the year"))
    start = dates.get("date")
    end = dates.get("date_end")
    if start and end and end.end < start.start:
        problems.append(
            claim.problem(
                "date_end",
                f"date_end {end.end} is before date {start.start}",
                "swap them or fix one",
            )
        )
    published_end = _published_end(claim.ledger)
    last = end.end if end else (start.end if start else None)
    if published_end and last and last > published_end:
        problems.append(
            claim.problem(
                "date_end" if end else "date",
                f"the claim reaches {last}, after the document was published ({published_end})",
                "a document cannot report events after its publication: check both dates",
            )
        )
    if fields.get("scope") == "average" and start and not end and start.form == "day":
        problems.append(
            claim.problem(
                "date",
                "an average needs a period, not a single day",
                "give date_end, or write the date as YYYY-MM or YYYY",
            )
        )

    for name, seed, column, hint in (
        (
            "claimant",
            "claimant_aliases.csv",
            "alias",
            "add the claimant to seeds/claimants.csv and"
            " seeds/claimant_aliases.csv, or use a listed name",
        ),
        ("country", "countries.csv", "country_name", "use a name of seeds/countries.csv"),
    ):
        value = _text(fields.get(name))
        if value and value.lower() not in _lookup(seed, column):
            problems.append(claim.problem(name, f"{name} '{value}' is not in seeds/{seed}", hint))
    belligerents = fields.get("belligerents")
    names = (
        belligerents if isinstance(belligerents, list) else [belligerents] if belligerents else []
    )
    known = _lookup("belligerent_aliases.csv", "alias")
    for name in names:
        if isinstance(name, str) and name.strip().lower() not in known:
            problems.append(
                claim.problem(
                    "belligerents",
                    f"belligerent '{name}' is not in seeds/belligerent_aliases.csv",
                    "use a listed name, or add an alias there",
                )
            )

    figures = {}
    for measure in MEASURES:
        text = texts.get((*claim.location, measure))
        if text is None:
            continue
        quantity = lv.parse_quantity(text)
        if quantity.problem:
            problems.append(
                claim.problem(
                    measure,
                    f"unreadable quantity: {quantity.problem}",
                    "write it as the document does in a form of seeds/quantity_conventions.csv"
                    " (e.g. 'at least 300', 'dozens', 'between 37 and 62'), or add a convention",
                )
            )
        else:
            figures[measure] = quantity
    total = figures.get("civilians_killed")
    parts = [figures[m].min for m in ("children_killed", "women_killed") if m in figures]
    if total and total.max is not None and parts and sum(p or 0 for p in parts) > total.max:
        problems.append(
            claim.problem(
                "civilians_killed",
                f"children + women killed (at least {sum(p or 0 for p in parts)}) exceed the total"
                f" (at most {total.max}); the run would fail",
                "check the figures against the quote",
            )
        )
    return problems


def _figures(claim: _Claim) -> dict[str, lv.Quantity]:
    out = {}
    for measure in MEASURES:
        text = claim.ledger.texts.get((*claim.location, measure))
        if text is not None:
            quantity = lv.parse_quantity(text)
            if not quantity.problem:
                out[measure] = quantity
    return out


def _whole_key(claim: _Claim) -> str | None:
    part_of = _text(claim.fields.get("part_of"))
    if not part_of:
        return None
    return part_of if "/" in part_of else f"{claim.key.split('/')[0]}/{part_of}"


def _part_problems(claim: _Claim, by_key: dict[str, list[_Claim]]) -> list[lg.Problem]:
    whole_key = _whole_key(claim)
    if whole_key is None:
        return []
    part_of = claim.fields.get("part_of")
    if whole_key == claim.key:
        return [
            claim.problem(
                "part_of",
                "the claim is declared a part of itself",
                "point part_of at the claim that contains this one",
            )
        ]
    wholes = by_key.get(whole_key, [])
    if not wholes:
        return [
            claim.problem(
                "part_of",
                f"part_of '{part_of}' points to no claim",
                "use a claim id of this document, or <document id>/<claim id>",
            )
        ]
    # Follow the chain upwards: it must end, not return to this claim.
    seen, current = {claim.key}, wholes[0]
    while (key := _whole_key(current)) is not None and by_key.get(key):
        if key in seen:
            return [
                claim.problem(
                    "part_of",
                    f"part_of forms a cycle through '{key}'",
                    "a claim cannot contain, directly or not, its own whole",
                )
            ]
        seen.add(key)
        current = by_key[key][0]
    problems = []
    mine, theirs = _figures(claim), _figures(wholes[0])
    for measure, quantity in mine.items():
        whole = theirs.get(measure)
        if (
            whole
            and whole.max is not None
            and quantity.min is not None
            and quantity.min > whole.max
        ):
            problems.append(
                claim.problem(
                    measure,
                    f"the part (at least {quantity.min}) exceeds its whole '{whole_key}'"
                    f" (at most {whole.max}); the run would fail and nothing would be published",
                    "check both figures and part_of",
                )
            )
    return problems


def main(files: Sequence[str]) -> int:
    problems = check_files([Path(name) for name in files])
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
