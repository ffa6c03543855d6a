"""Quantities and dates as written -> numbers and days: every form of the issue, read by the
ledger's dbt models (int_ledger__figures, stg_ledger__claims) evaluated in memory, the way
`civcas ledger check` runs them (civcas/compiled_models.py). test_ledger_pipeline.py reads the same
forms in a real build."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
import yaml
from helpers import FORMS, REPO

from civcas.compiled_models import catalog_connection, create_compiled_models
from ingestion import ledger
from ingestion.landing import ensure_load_log

UNREADABLE = {
    "a lot": "'a lot' matches no convention of seeds/quantity_conventions.csv and is not a"
    " number word of seeds/number_words.csv",
    "many": "'many' matches no convention of seeds/quantity_conventions.csv and is not a"
    " number word of seeds/number_words.csv",
    "around fourty": "'fourty' in 'around fourty' is not a number word of seeds/number_words.csv",
    "between 62 and 37": "the range 'between 62 and 37' is reversed (62 > 37)",
    "two hundred or so": "'two hundred or so' matches no convention of"
    " seeds/quantity_conventions.csv",
    # digits grouped other than by thousands: a decimal comma or a typo, never 12
    "1,2": "'1,2' matches no convention of seeds/quantity_conventions.csv",
    "12,00": "'12,00' matches no convention of seeds/quantity_conventions.csv",
    "5,000,000": "'5,000,000' is beyond any plausible count (more than 1000000)",
}
DATES = ("2017-03", "2016-02", "2014", "2017-02-30", "17 March 2017")


@pytest.fixture(scope="module")
def models() -> duckdb.DuckDBPyConnection:
    """The ledger models over one landed claim per quantity (civilians_killed) and per date."""
    con = catalog_connection()
    ensure_load_log(con)
    ledger.ensure_raw_tables(con)
    con.execute("create table claims (quantity varchar, claim_date varchar)")
    quantities = [text for text, *_ in FORMS] + list(UNREADABLE)
    con.executemany("insert into claims values (?, '2017-03-17')", [[q] for q in quantities])
    con.executemany("insert into claims values ('1', ?)", [[d] for d in DATES])
    con.execute(
        "insert into claims select example, '2017-03-17' from read_csv(?, all_varchar = true)",
        [str(REPO / "dbt_project" / "seeds" / "quantity_conventions.csv")],
    )
    con.execute(
        "insert into raw.ledger_claims (document_id, claim_id, civilians_killed, date, _load_id,"
        " _source_file, _row_number, _loaded_at)"
        " select 'doc', 'c' || row_number() over (), quantity, claim_date, 'load',"
        " 'forms.yaml', row_number() over (), now() from claims"
    )
    create_compiled_models(con)
    yield con
    con.close()


def _quantity(con: duckdb.DuckDBPyConnection, text: str) -> tuple:
    return con.execute(
        "select quantity_min, quantity_max, quantity_best, convention, problem"
        " from intermediate.int_ledger__figures"
        " where measure = 'civilians_killed' and quantity_text = ?",
        [text],
    ).fetchone()


@pytest.mark.parametrize(("text", "low", "high", "best", "convention"), FORMS)
def test_each_form_is_read(models, text, low, high, best, convention):
    assert _quantity(models, text) == (low, high, best, convention, None)


@pytest.mark.parametrize(("text", "problem"), UNREADABLE.items())
def test_unreadable_quantities_are_never_guessed(models, text, problem):
    low, high, best, _, found = _quantity(models, text)
    assert (low, high, best) == (None, None, None)
    assert found == problem


def test_every_example_of_the_conventions_seed_reads_as_documented(models):
    examples = models.execute(
        "select convention, example, example_min, example_max, example_best"
        " from seeds.quantity_conventions"
    ).fetchall()
    assert len(examples) == 14
    for convention, example, *expected in examples:
        assert _quantity(models, example) == (*expected, convention, None), convention


def test_partial_dates(models):
    found = {
        text: (first, last, form)
        for text, first, last, form in models.execute(
            "select date_raw, date_first_day, date_last_day, date_form"
            " from staging.stg_ledger__claims where civilians_killed_text = '1'"
        ).fetchall()
    }
    assert found == {
        "2017-03": (date(2017, 3, 1), date(2017, 3, 31), "month"),
        "2016-02": (date(2016, 2, 1), date(2016, 2, 29), "month"),
        "2014": (date(2014, 1, 1), date(2014, 12, 31), "year"),
        "2017-02-30": (None, None, "day"),
        "17 March 2017": (None, None, None),
    }


def test_the_incident_bounds_of_triage_are_the_plausibility_suites():
    """One rule, two places that must agree: the dbt vars by which triage quarantines an incident
    claim, and the error-level expectation that would otherwise block every source."""
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())["vars"]
    suite = yaml.safe_load(
        (REPO / "expectations" / "suites" / "incident_plausibility.yml").read_text()
    )
    bounds = {e["kwargs"]["column"]: e["kwargs"]["max_value"] for e in suite["expectations"]}
    assert bounds == {
        "civilians_killed_max": project["max_incident_civilians_killed"],
        "civilians_injured_max": project["max_incident_civilians_injured"],
    }
