"""Quantities as written -> numbers: every form of the issue, read by the conventions seed in
Python (`civcas ledger check`); the SQL reading of the same seed is compared with it in
test_ledger_pipeline.py (test_sql_reads_every_form_like_the_check)."""

from __future__ import annotations

import pytest

from ingestion import ledger_values as lv

# (as written, min, max, best, convention)
FORMS = [
    ("at least 300", 300, None, 300, "at_least"),
    ("more than a dozen", 13, None, 13, "more_than"),
    ("dozens", 24, 99, 24, "dozens"),
    ("scores", 40, 199, 40, "scores"),
    ("several", 3, 9, 3, "several"),
    ("hundreds", 200, 999, 200, "hundreds"),
    ("around 40", 36, 44, 40, "around"),
    ("nearly 200", 180, 199, 199, "nearly"),
    ("up to 50", 1, 50, None, "up_to"),
    ("between 37 and 62", 37, 62, 50, "range"),
    ("thirteen", 13, 13, 13, "exact"),
    ("no civilians", 0, 0, 0, "none"),
    # variants: digits, commas, hyphenated words, trailing nouns, case and spacing
    ("198", 198, 198, 198, "exact"),
    ("1,200", 1200, 1200, 1200, "exact"),
    ("forty-two", 42, 42, 42, "exact"),
    ("At least  300 civilians", 300, None, 300, "at_least"),
    ("dozens of civilians", 24, 99, 24, "dozens"),
    ("37-62", 37, 62, 50, "range"),
    ("about a dozen", 10, 14, 12, "around"),
    ("no civilian deaths", 0, 0, 0, "none"),
]


@pytest.mark.parametrize(("text", "low", "high", "best", "convention"), FORMS)
def test_each_form_is_read(text, low, high, best, convention):
    quantity = lv.parse_quantity(text)
    assert quantity.problem is None
    assert (quantity.min, quantity.max, quantity.best, quantity.convention) == (
        low,
        high,
        best,
        convention,
    )
    assert quantity.text == text  # the written text is kept as is


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "a lot",
            "'a lot' matches no convention of seeds/quantity_conventions.csv and is not a"
            " number word of seeds/number_words.csv",
        ),
        (
            "many",
            "'many' matches no convention of seeds/quantity_conventions.csv and is not a"
            " number word of seeds/number_words.csv",
        ),
        (
            "around fourty",
            "'fourty' in 'around fourty' is not a number word of seeds/number_words.csv",
        ),
        ("between 62 and 37", "the range 'between 62 and 37' is reversed (62 > 37)"),
        (
            "two hundred or so",
            "'two hundred or so' matches no convention of seeds/quantity_conventions.csv",
        ),
    ],
)
def test_unreadable_quantities_are_never_guessed(text, problem):
    quantity = lv.parse_quantity(text)
    assert (quantity.min, quantity.max, quantity.best) == (None, None, None)
    assert quantity.problem == problem


def test_every_example_of_the_conventions_seed_reads_as_documented():
    rows = lv.conventions()
    assert len(rows) == 14
    for row in rows:
        quantity = lv.parse_quantity(row["example"])
        expected = tuple(
            int(row[f"example_{k}"]) if row[f"example_{k}"] else None
            for k in ("min", "max", "best")
        )
        assert (quantity.min, quantity.max, quantity.best) == expected, row["convention"]
        assert quantity.convention == row["convention"]


def test_partial_dates():
    assert lv.parse_partial_date("2017-03") == lv.PartialDate(
        lv.date(2017, 3, 1), lv.date(2017, 3, 31), "month"
    )
    assert lv.parse_partial_date("2016-02").end == lv.date(2016, 2, 29)
    assert lv.parse_partial_date("2014").end == lv.date(2014, 12, 31)
    assert lv.parse_partial_date("2017-02-30") is None
    assert lv.parse_partial_date("17 March 2017") is None
