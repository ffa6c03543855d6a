"""Citation outlets, platforms, languages and dates end to end: a crafted citations file is landed
by the real landing code, real dbt builds fct_report_citations and dim_outlets into a throwaway
DuckDB file, and each citation's outlet_id, platform, language and cited_date are checked."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from helpers import REPO, incident, write_citations, write_incidents

from ingestion import airwars

DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


def cite(
    order: int, source_name: str, platform: str = "", source_date: str = "", url: str = ""
) -> dict[str, str]:
    return {
        "incident_code": "T1",
        "source_order": str(order),
        "source_name": source_name,
        "platform": platform,
        "source_date": source_date,
        "url": url,
    }


# citation_order -> (citation, expected (outlet_id, outlet_match, platform, language, cited_date))
CASES = {
    1: (
        cite(
            1,
            "Step News Agency",
            "Twitter\nArabic",
            "2 مارس 2026",
            "https://stepagency-sy.net/2026/03/02/a/",
        ),
        ("step_news", "listed_name", "twitter", "ar", date(2026, 3, 2)),
    ),
    2: (
        cite(
            2, "Step News", "Facebook Arabic", "", "https://www.facebook.com/StepNewsAgency/posts/1"
        ),
        ("step_news", "listed_name", "facebook", "ar", None),
    ),
    # handle with the apostrophe the export puts before "@"; Levantine month, Arabic-Indic digits
    3: (
        cite(
            3,
            "'@Step_Agency",
            "Twitter\nArabic",
            "١٥ آذار ٢٠٢٥",
            "https://twitter.com/Step_Agency/status/1",
        ),
        ("step_news", "listed_name", "twitter", "ar", date(2025, 3, 15)),
    ),
    # copy marker " (2)", two-word Levantine month; no platform word: the URL host decides
    4: (
        cite(
            4,
            "Step News Agency (2)",
            "Arabic",
            "3 تشرين الأول 2024",
            "https://www.youtube.com/watch?v=x",
        ),
        ("step_news", "listed_name", "video", "ar", date(2024, 10, 3)),
    ),
    # an outlet no seed lists gets an id from its normalized name ...
    5: (
        cite(5, "Qamishli Evening Herald", "English", "", "https://example.org/a"),
        ("qamishli_evening_herald", "unlisted_name", "web", "en", None),
    ),
    # ... and trivially different spellings of it share that id
    6: (
        cite(
            6,
            "'@Qamishli_Evening-Herald",
            "Twitter English",
            "",
            "https://twitter.com/QEHerald/status/9",
        ),
        ("qamishli_evening_herald", "unlisted_name", "twitter", "en", None),
    ),
    # no source name: the unknown outlet; "—" names neither platform nor language
    7: (
        cite(7, "", "—", "", "https://example.org/b"),
        ("unknown", "no_name", "web", None, None),
    ),
    # unlisted name, but the URL is the account of a listed outlet
    8: (
        cite(8, "Some Person", "Twitter\nArabic", "", "https://x.com/SyriaCivilDefe/status/2"),
        ("syrian_civil_defence", "listed_url_account", "twitter", "ar", None),
    ),
    # impossible day: text kept, no date
    9: (
        cite(9, "Syrian Civil Defence", "Video\nArabic", "31 فبراير 2025", "https://example.org/c"),
        ("syrian_civil_defence", "listed_name", "video", "ar", None),
    ),
    # a parseable but implausible year
    12: (
        cite(12, "White Helmets", "Arabic", "31 ديسمبر 0399", "https://example.org/d"),
        ("syrian_civil_defence", "listed_name", "web", "ar", None),
    ),
    10: (
        cite(10, "White Helmets", "Telegram Arabic", "1 يناير 2025", "https://t.me/some_channel/5"),
        ("syrian_civil_defence", "listed_name", "telegram", "ar", date(2025, 1, 1)),
    ),
    11: (
        cite(11, "Syria Civil Defense", "Twitter\nHebrew", "", ""),
        ("syrian_civil_defence", "listed_name", "twitter", "he", None),
    ),
}


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("citations")
    landing = tmp / "landing"
    write_incidents(landing, "incidents.csv", [incident()])
    write_citations(landing, "incident_sources.csv", [citation for citation, _ in CASES.values()])
    db = tmp / "build.duckdb"
    con = duckdb.connect(str(db))
    airwars.land(con, landing)
    con.close()
    result = subprocess.run(
        [
            str(DBT),
            "build",
            "--select",
            "+fct_report_citations",
            "+dim_outlets",
            "--indirect-selection",
            "cautious",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
        ],  # fmt: skip
        cwd=DBT_PROJECT,
        env={**os.environ, "CIVCAS_BUILD_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def citations(build) -> dict[int, tuple]:
    found = rows(
        build,
        "select citation_order, outlet_id, outlet_match, platform, language, cited_date "
        "from marts.fct_report_citations",
    )
    return {order: tuple(rest) for order, *rest in found}


@pytest.mark.full_runs(1)
def test_one_row_per_citation(citations):
    assert sorted(citations) == sorted(CASES)


@pytest.mark.parametrize("order", sorted(CASES))
def test_each_citation_resolves_to_its_expected_outlet_and_date(citations, order):
    citation, expected = CASES[order]
    assert citations[order] == expected, citation


def test_date_text_kept(build):
    texts = dict(
        rows(build, "select citation_order, cited_date_text from marts.fct_report_citations")
    )
    assert texts[9] == "31 فبراير 2025"
    assert texts[2] is None


def test_outlets(build):
    outlets = {outlet_id: (name, kind, listed) for outlet_id, name, kind, listed in rows(
        build, "select outlet_id, outlet_name, kind, is_listed from marts.dim_outlets"
    )}  # fmt: skip
    assert outlets["step_news"] == ("Step News Agency", "news_agency", True)
    assert outlets["syrian_civil_defence"][1:] == ("civil_defence", True)
    # unlisted: named after its most frequent spelling (on a tie a name rather than a handle)
    assert outlets["qamishli_evening_herald"] == ("Qamishli Evening Herald", "unknown", False)
    assert outlets["unknown"][1] == "unknown"
