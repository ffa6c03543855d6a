"""Reading ledger values the way the dbt models do, for `civcas ledger check`.

The pipeline reads quantities and dates in SQL (models/intermediate/ledger/); this module applies
the same seeds (quantity_conventions.csv, number_words.csv) with the same rules so that a file can
be checked before it is dropped in. tests/test_ledger_quantities.py proves both agree on every
example of the conventions seed.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
SEEDS = DBT_PROJECT / "seeds"

# A number inside a quantity: digits ("1,200") or number words ("thirteen", "forty-two",
# "a dozen", "half a dozen", "one hundred"). The same expression is in int_ledger__figures.sql.
NUMBER = r"([0-9][0-9,]*|(?:half an? |an? |one )[a-z]+|[a-z]+(?:-[a-z]+)?)"
# Nouns after the quantity that say nothing about the count ("300 civilians", "no civilian deaths").
TRAILING_NOUNS = (
    r"(?: (?:civilians?|civilian|people|persons|individuals|dead|deaths|killed|wounded|injured"
    r"|casualties|victims))+$"
)


@dataclass(frozen=True)
class Quantity:
    text: str
    convention: str | None = None
    min: int | None = None
    max: int | None = None
    best: int | None = None
    problem: str | None = None


@cache
def earliest_event_date() -> date:
    """The dbt var earliest_event_date (dbt_project.yml), the one home of that date."""
    project = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))
    return date.fromisoformat(project["vars"]["earliest_event_date"])


def read_csv(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def conventions() -> tuple[dict[str, str], ...]:
    return tuple(sorted(read_csv("quantity_conventions.csv"), key=lambda row: int(row["priority"])))


@cache
def number_words() -> dict[str, int]:
    return {row["word"].strip().lower(): int(row["value"]) for row in read_csv("number_words.csv")}


def normalize(text: str) -> str:
    out = re.sub(r"\s+", " ", str(text).strip().lower().replace("–", "-").replace("—", "-"))
    stripped = re.sub(TRAILING_NOUNS, "", out)
    return stripped or out


def number_value(token: str | None) -> int | None:
    if token is None:
        return None
    if re.fullmatch(r"[0-9][0-9,]*", token):
        return int(token.replace(",", ""))
    words = number_words()
    if token in words:
        return words[token]
    tens, _, unit = token.partition("-")
    if (
        unit
        and tens in words
        and unit in words
        and words[tens] in (20, 30, 40, 50, 60, 70, 80, 90)
        and words[unit] < 10
    ):
        return words[tens] + words[unit]
    return None


def _apply(rule: str, n: int | None, m: int | None) -> int | None:
    rule = rule.strip()
    if rule == "":
        return None
    if re.fullmatch(r"[0-9]+", rule):
        return int(rule)
    if n is None:
        return None
    margin = max(1, (n + 9) // 10)  # 10% rounded up, at least 1 (integers, as in SQL)
    return {
        "n": n,
        "n+1": n + 1,
        "n-1": n - 1,
        "m": m,
        "midpoint": None if m is None else (n + m + 1) // 2,
        "n-10%": max(0, n - margin),
        "n+10%": n + margin,
    }[rule]


def parse_quantity(text: str | int) -> Quantity:
    written = str(text)
    normalized = normalize(written)
    for row in conventions():
        pattern = "^(?:" + row["pattern"].replace("{n}", NUMBER) + ")$"
        match = re.match(pattern, normalized)
        if not match:
            continue
        tokens = list(match.groups())
        n_text = tokens[0] if tokens else None
        m_text = tokens[1] if len(tokens) > 1 else None
        n, m = number_value(n_text), number_value(m_text)
        unknown = [t for t, v in ((n_text, n), (m_text, m)) if t is not None and v is None]
        if unknown and unknown[0] == normalized:
            return Quantity(
                written,
                problem=(
                    f"'{written}' matches no convention of seeds/quantity_conventions.csv"
                    " and is not"
                    " a number word of seeds/number_words.csv"
                ),
            )
        if unknown:
            return Quantity(
                written,
                row["convention"],
                problem=(
                    f"'{unknown[0]}' in '{written}' is not a number word of seeds/number_words.csv"
                ),
            )
        if n is not None and m is not None and m < n:
            return Quantity(
                written, row["convention"], problem=f"the range '{written}' is reversed ({n} > {m})"
            )
        return Quantity(
            written,
            row["convention"],
            _apply(row["min_rule"], n, m),
            _apply(row["max_rule"], n, m),
            _apply(row["best_rule"], n, m),
        )
    return Quantity(
        written, problem=(f"'{written}' matches no convention of seeds/quantity_conventions.csv")
    )


@dataclass(frozen=True)
class PartialDate:
    start: date
    end: date
    form: str  # day | month | year


def parse_partial_date(text: str | int | None) -> PartialDate | None:
    """YYYY-MM-DD, YYYY-MM or YYYY -> first and last day; None when it is not a real date."""
    if text is None:
        return None
    text = str(text).strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            day = date.fromisoformat(text)
            return PartialDate(day, day, "day")
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
            year, month = int(text[:4]), int(text[5:])
            last = calendar.monthrange(year, month)[1]
            return PartialDate(date(year, month, 1), date(year, month, last), "month")
        if re.fullmatch(r"[0-9]{4}", text):
            return PartialDate(date(int(text), 1, 1), date(int(text), 12, 31), "year")
    except ValueError:
        return None
    return None
