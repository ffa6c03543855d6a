"""The claims ledger through the real pipeline (Dagster + dbt + GX + publishing): the bundled
sample ledger of March 2017 materialized, quantities read in SQL like the check reads them,
bad claims quarantined with their reasons, a part larger than its whole failing the run."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    FORMS,
    SAMPLE_LANDING,
    CivcasEnv,
    copy_env,
    incident,
    shared_build,
    write_citations,
    write_incidents,
)

UN = "ledger:un-human-rights-office-2017-03-28-mosul"
PRESS = "ledger:press-2017-03-28-mosul"
SOHR = "ledger:sohr-2017-04-01-coalition-march"
MOSQUE = "ledger:press-2017-03-17-al-jinah-mosque"

FORMS_HEADER = """\
document:
  id: forms-test
  publisher: Test
  title: Every quantity form, and claims that must be quarantined
  published: 2017-12-31
claims:
"""
BAD_CLAIMS = """\
  - id: bad-quantity
    claimant: Airwars
    scope: incident
    date: 2017-01-05
    country: Syria
    civilians_killed: a lot
  - id: bad-date
    claimant: Airwars
    scope: incident
    date: 2017-02-30
    country: Syria
    civilians_killed: "3"
  - id: bad-belligerent
    claimant: Airwars
    scope: incident
    date: 2017-01-05
    country: Syria
    belligerents: [Klingons]
    civilians_killed: "3"
  - id: dangling
    claimant: Airwars
    scope: incident
    date: 2017-01-05
    country: Syria
    civilians_killed: "3"
    part_of: nowhere
  - id: after-publication
    claimant: Airwars
    scope: period
    date: 2018-01
    country: Syria
    civilians_killed: "3"
  - id: part-of-bad
    claimant: Airwars
    scope: incident
    date: 2017-01-05
    country: Syria
    civilians_killed: "2"
    part_of: bad-quantity
"""


def forms_file() -> str:
    claims = "".join(
        f"  - id: form-{index}\n    claimant: Airwars\n    scope: period\n    date: 2017-01\n"
        f'    country: Syria\n    civilians_killed: "{text}"\n'
        for index, (text, *_) in enumerate(FORMS)
    )
    return FORMS_HEADER + claims + BAD_CLAIMS


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_ledger_landing(landing: Path) -> None:
    shutil.copytree(SAMPLE_LANDING / "ledger", landing / "ledger")
    (landing / "ledger" / "forms.yaml").write_text(forms_file(), encoding="utf-8")
    write_incidents(landing, "incidents.csv", [incident()])
    write_citations(
        landing,
        "incident_sources.csv",
        [
            {
                "incident_code": "T1",
                "source_order": "1",
                "source_name": "SNHR",
                "url": "https://x.test/1",
            }
        ],
    )


@pytest.fixture(scope="session")
def ledger_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CivcasEnv, object]]:
    """One run on the sample ledger, a file of quantity forms and bad claims, and one Airwars
    incident (the landing folder holds nothing else, to keep the run short)."""
    yield from shared_build(tmp_path_factory, "ledger", fill_ledger_landing)


@pytest.fixture
def copied_build(ledger_build, tmp_path, monkeypatch) -> CivcasEnv:
    """A private copy of the published ledger build and its landing folder, to run again."""
    env, _ = ledger_build
    return copy_env(env, tmp_path, monkeypatch)


def test_the_run_publishes(ledger_build):
    env, report = ledger_build
    assert report.success, report.lines()
    assert report.published
    assert report.validation_failures == []


def test_the_140_is_a_part_of_the_at_least_300_and_passes(ledger_build):
    env, _ = ledger_build
    assert env.query(
        "select whole_report_id, part_civilians_killed_min, whole_civilians_killed_min,"
        " whole_civilians_killed_max, within_whole from marts.fct_claim_parts"
        " where part_report_id = ?",
        [f"{UN}/al-jadida-airstrike"],
    ) == [(f"{UN}/western-mosul-offensive", 140, 300, None, True)]
    # the resident's 13 family members are a part of the 140, across documents
    assert env.query(
        "select whole_report_id, within_whole from marts.fct_claim_parts where part_report_id = ?",
        [f"{PRESS}/resident-family-al-jadida"],
    ) == [(f"{UN}/al-jadida-airstrike", True)]
    assert env.query(
        "select severity, success from audit.validation_results"
        " where suite = 'ledger_claim_parts' and expectation = 'part_within_whole'"
    ) == [("error", True)]


def test_sample_claims_in_the_fact_table(ledger_build):
    env, _ = ledger_build
    rows = env.query(
        "select report_id, scope, event_date::varchar, event_date_end::varchar, date_precision,"
        " country_iso3, admin1_code, civilians_killed_min, civilians_killed_max,"
        " civilians_injured_min, civilians_injured_max, children_killed_min, women_killed_min"
        " from marts.fct_civilian_harm_reports where source = 'ledger'"
        " and report_id not like 'ledger:forms-test/%' order by report_id"
    )
    assert rows == [
        (
            f"{MOSQUE}/activists-mosque-strike",
            "incident",
            "2017-03-16",
            None,
            "day",
            "SYR",
            "SY-HL",
            36,
            44,
            24,
            99,
            None,
            None,
        ),
        (
            f"{MOSQUE}/us-military-no-civilians",
            "incident",
            "2017-03-16",
            None,
            "day",
            "SYR",
            "SY-HL",
            0,
            0,
            None,
            None,
            None,
            None,
        ),
        (
            f"{PRESS}/amnesty-another-strike",
            "incident",
            "2017-03-25",
            "2017-03-26",
            "few_days",
            "IRQ",
            "IQ-NI",
            24,
            99,
            None,
            None,
            None,
            None,
        ),
        (
            f"{PRESS}/resident-family-al-jadida",
            "incident",
            "2017-03-17",
            None,
            "day",
            "IRQ",
            "IQ-NI",
            13,
            13,
            None,
            None,
            None,
            None,
        ),
        (
            f"{SOHR}/february-2017",
            "period",
            "2017-02-01",
            "2017-02-28",
            "month",
            "SYR",
            None,
            56,
            56,
            None,
            None,
            None,
            None,
        ),
        (
            f"{SOHR}/march-2017",
            "period",
            "2017-03-01",
            "2017-03-31",
            "month",
            "SYR",
            None,
            198,
            198,
            None,
            None,
            32,
            31,
        ),
        (
            f"{SOHR}/monthly-average-2014-2017",
            "average",
            "2014-09-01",
            "2017-02-28",
            "month",
            "SYR",
            None,
            30,
            30,
            None,
            None,
            None,
            None,
        ),
        (
            f"{UN}/al-jadida-airstrike",
            "incident",
            "2017-03-17",
            None,
            "day",
            "IRQ",
            "IQ-NI",
            140,
            140,
            None,
            None,
            None,
            None,
        ),
        (
            f"{UN}/western-mosul-offensive",
            "period",
            "2017-02-15",
            "2017-03-28",
            "week",
            "IRQ",
            "IQ-NI",
            300,
            None,
            None,
            None,
            None,
            None,
        ),
    ]


def test_written_text_claimants_and_the_average_total(ledger_build):
    env, _ = ledger_build
    assert env.query(
        "select claimant_id, civilians_killed_as_written, civilians_killed_convention,"
        " civilians_killed_best, quote from marts.fct_ledger_claims where report_id = ?",
        [f"{UN}/western-mosul-offensive"],
    ) == [
        (
            "un_ohchr",
            "at least 300",
            "at_least",
            300,
            "at least 300 civilians have been killed in western Mosul since mid-February",
        )
    ]
    assert env.query(
        "select claimant_id, average_per, average_units, implied_civilians_killed_min,"
        " implied_civilians_killed_max, monthly_claims_inside, average_agrees_with_monthly_claims"
        " from marts.fct_ledger_claims where report_id = ?",
        [f"{SOHR}/monthly-average-2014-2017"],
    ) == [("sohr", "month", 30, 900, 900, 1, True)]
    assert env.query(
        "select claimant_id from marts.fct_ledger_claims where report_id like ? order by 1",
        [f"{MOSQUE}/%"],
    ) == [("opposition_activists",), ("us_military",)]
    assert env.query(
        "select claimant_name, kind from marts.dim_claimants where claimant_id = 'us_military'"
    ) == [("US-led coalition / US military", "military")]


def test_claims_never_join_the_agg_tables(ledger_build):
    """Claims are compared, never summed: the UN's 140 for al-Jadida, the resident's 13 inside
    it and the activists' ~40 beside the US military's 0 would count the same deaths twice."""
    env, _ = ledger_build
    for table in ("agg_monthly_harm", "agg_monthly_harm_by_belligerent"):
        assert env.query(f"select count(*) from marts.{table} where source = 'ledger'") == [(0,)]
    assert env.query(
        "select count(distinct event_id) from marts.bridge_event_reports where report_id in (?, ?)",
        [f"{UN}/al-jadida-airstrike", f"{PRESS}/resident-family-al-jadida"],
    ) == [(1,)]


def test_a_build_reads_every_form(ledger_build):
    env, _ = ledger_build
    sql = {
        text: (low, high, best, convention)
        for text, low, high, best, convention in env.query(
            "select quantity_text, quantity_min, quantity_max, quantity_best, convention"
            " from intermediate.int_ledger__figures where load_id in"
            " (select load_id from raw._loads where source_file = 'ledger/forms.yaml')"
        )
    }
    for text, low, high, best, convention in FORMS:
        assert sql[text] == (low, high, best, convention), text
    assert env.query(
        "select count(*) from marts.fct_civilian_harm_reports"
        " where report_id like 'ledger:forms-test/form-%'"
    ) == [(len(FORMS),)]


def test_bad_claims_are_quarantined_with_reason_and_line(ledger_build):
    env, _ = ledger_build
    # row_number is the claim's number in its file; its line is a column of the ledger models
    rejected = env.query(
        "select audit.record_key, claims.line, audit.reason from audit.rejected_records as audit"
        " inner join intermediate.int_ledger__claims_triaged as claims"
        " using (load_id, row_number)"
        " where audit.source = 'ledger' order by audit.row_number"
    )
    first = 7 + 6 * len(FORMS)  # the line of the first bad claim
    assert rejected == [
        (
            "claim=forms-test/bad-quantity",
            first,
            "civilians_killed: unreadable quantity: 'a lot' matches no convention of"
            " seeds/quantity_conventions.csv and is not a number word of seeds/number_words.csv",
        ),
        (
            "claim=forms-test/bad-date",
            first + 6,
            "date '2017-02-30' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (
            "claim=forms-test/bad-belligerent",
            first + 12,
            "belligerents 'Klingons' not in seeds/belligerent_aliases.csv",
        ),
        (
            "claim=forms-test/dangling",
            first + 19,
            "part_of 'forms-test/nowhere' points to no claim",
        ),
        (
            "claim=forms-test/after-publication",
            first + 26,
            "the claim reaches 2018-01-31, after its document was published (2017-12-31)",
        ),
        (
            "claim=forms-test/part-of-bad",
            first + 32,
            "part_of 'forms-test/bad-quantity' is a quarantined claim (civilians_killed: unreadable"
            " quantity: 'a lot' matches no convention of seeds/quantity_conventions.csv"
            " and is not a"
            " number word of seeds/number_words.csv)",
        ),
    ]


def test_conservation_per_ledger_file(ledger_build):
    env, _ = ledger_build
    assert env.query(
        "select source_file, rows_in, rows_accepted, rows_rejected from audit.loads"
        " where source = 'ledger' order by source_file"
    ) == [
        ("ledger/2017-03-17-press-al-jinah-mosque.yaml", 3, 3, 0),
        ("ledger/2017-03-28-press-mosul-residents.yaml", 3, 3, 0),
        ("ledger/2017-03-28-un-human-rights-office-mosul.yaml", 3, 3, 0),
        ("ledger/2017-04-01-sohr-coalition-monthly.yaml", 4, 4, 0),
        ("ledger/forms.yaml", 1 + len(FORMS) + 6, 1 + len(FORMS), 6),
    ]
    assert env.query(
        "select count(*) from audit.load_reconciliation where source = 'ledger'"
        " and (rows_in != rows_landed or rows_in != rows_accounted_for)"
    ) == [(0,)]
    assert env.query("select count(*) from marts.dim_ledger_documents") == [(5,)]


@pytest.mark.full_runs(1)
def test_a_part_larger_than_its_whole_fails_and_keeps_the_published_warehouse(copied_build):
    env = copied_build
    before = sha(env.warehouse)
    (env.landing / "ledger" / "crafted.yaml").write_text(
        "document:\n  id: crafted\n  publisher: Test\n  title: Crafted\n  published: 2017-04-02\n"
        "claims:\n"
        "  - id: whole\n    claimant: Airwars\n    scope: period\n    date: 2017-03\n"
        '    country: Iraq\n    civilians_killed: "50"\n'
        "  - id: part\n    claimant: Airwars\n    scope: incident\n    date: 2017-03-17\n"
        '    country: Iraq\n    civilians_killed: "140"\n    part_of: whole\n',
        encoding="utf-8",
    )
    report = env.run()
    assert not report.success
    assert not report.published
    assert any(
        line.startswith(
            "ledger_claim_parts.part_within_whole on marts.fct_claim_parts: 1 unexpected row;"
            " first: ledger/crafted.yaml line 13 part_report_id=ledger:crafted/part"
        )
        for line in report.validation_failures
    )
    assert sha(env.warehouse) == before
    assert env.query("select count(*) from marts.fct_claim_parts") == [(2,)]


def test_a_broken_file_fails_landing_with_file_and_line(copied_build):
    env = copied_build
    before = sha(env.warehouse)
    (env.landing / "ledger" / "broken.yaml").write_text(
        FORMS_HEADER + "  - id: x\n    claimant: SOHR\n    scope: incident\n    date: 2017-03-01\n"
        '    country: Syria\n    civilians_killed: "3"\n    wounded: "4"\n',
        encoding="utf-8",
    )
    report = env.run()
    assert not report.published
    message = "\n".join(report.errors)
    assert "ledger/broken.yaml: cannot land this ledger file" in message
    assert "ledger/broken.yaml:13: claims[0].wounded (claim x): unknown field 'wounded'" in message
    assert sha(env.warehouse) == before


@pytest.mark.full_runs(1)
def test_an_edited_file_replaces_its_previous_version(copied_build):
    env = copied_build
    path = env.landing / "ledger" / "2017-04-01-sohr-coalition-monthly.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'civilians_killed: "56"', 'civilians_killed: "57"'
        ),
        encoding="utf-8",
    )
    report = env.run()
    assert report.success, report.lines()
    assert env.query(
        "select civilians_killed_min from marts.fct_civilian_harm_reports where report_id = ?",
        [f"{SOHR}/february-2017"],
    ) == [(57,)]
    superseded = env.query(
        "select record_key, reason from audit.rejected_records where source = 'ledger'"
        " and reason like 'superseded%' order by record_key like 'claim=%', row_number"
    )
    assert len(superseded) == 4  # the document row and its 3 claims of the first version
    assert superseded[0][0] == "document_id=sohr-2017-04-01-coalition-march"
    assert superseded[0][1].startswith(
        "superseded by a newer version of document sohr-2017-04-01-coalition-march"
        " (ledger/2017-04-01-sohr-coalition-monthly.yaml, load ledger-"
    )
    assert env.query(
        "select count(*) from audit.load_reconciliation where rows_in != rows_accounted_for"
    ) == [(0,)]
