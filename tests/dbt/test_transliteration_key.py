"""transliteration_key stays linear in the length of a place name, and linking reads a capped
prefix of it (issue 27, item 8): one 100,000-character Airwars `location` took a build past
4.3 GB because the model handed the macro an expression, evaluated again for every letter."""

from __future__ import annotations

import re

import duckdb
import jinja2
import yaml
from helpers import REPO

MACROS = REPO / "dbt_project" / "macros" / "transliteration_key.sql"
MODEL = REPO / "dbt_project" / "models" / "intermediate" / "reconciliation" / "int_link_reports.sql"


def _macros():
    return jinja2.Environment().from_string(MACROS.read_text()).module


def _keys(con: duckdb.DuckDBPyConnection, words: list[str]) -> list[str]:
    """The model's two steps: letters once per word, then the key from those letters."""
    macros = _macros()
    return con.execute(
        f"select list_transform(list_transform(?::varchar[],"
        f" word -> {macros.transliteration_letters('word')}),"
        f" letters -> {macros.transliteration_key('letters')})",
        [words],
    ).fetchone()[0]


def test_spellings_of_one_name_share_a_key():
    con = duckdb.connect()
    assert _keys(con, ["qaltah", "kaltah", "jinah", "jina", "huteen", "hutin"]) == [
        "kalta",
        "kalta",
        "jina",
        "jina",
        "hutin",
        "hutin",
    ]


def test_a_100000_letter_word_keys_within_a_small_memory_cap():
    con = duckdb.connect(config={"memory_limit": "128MB", "threads": 1})
    word = "baab" * 25_000
    [key] = _keys(con, [word])
    assert key == "ba" * 25_000 + "b"  # "baabbaab…": every doubled letter collapsed


def test_the_model_hands_the_macro_its_letters_as_a_lambda_parameter():
    """An expression as the argument is re-evaluated per letter: quadratic time and memory."""
    arguments = re.findall(r"transliteration_key\((.*?)\)\s*}}", MODEL.read_text())
    assert arguments == ["'letters'"]


def test_linking_reads_a_capped_prefix_of_the_place():
    project = yaml.safe_load((REPO / "dbt_project" / "dbt_project.yml").read_text())
    assert project["vars"]["link_place_max_chars"] == 300
    assert "left(reports.place, {{ var('link_place_max_chars') }})" in MODEL.read_text()
