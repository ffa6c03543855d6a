"""expectations/: YAML suites validated by real Great Expectations against a real DuckDB file."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import duckdb
import pytest
from helpers import FIXTURES

from expectations import (
    ExpectationResult,
    failed_errors,
    format_failure,
    load_suites,
    run_suites,
    write_results,
)
from expectations.catalogue import GX_EXPECTATION_CLASSES
from expectations.gx_adapter import check_kwargs

FIXTURE_SUITES = FIXTURES / "suites"

# Ten reports: 3 with a negative killed_min (r02-r04), 2 with killed_min > killed_max (r05, r06).
FACT_ROWS = [
    ("r01", "SY", "airwars", 0, 2),
    ("r02", "SY", "airwars", -1, 3),
    ("r03", "SY", "acled", -2, 1),
    ("r04", "IQ", "acled", -5, 0),
    ("r05", "IQ", "airwars", 4, 2),
    ("r06", "IQ", "airwars", 7, 5),
    ("r07", "YE", "acled", None, 4),
    ("r08", "YE", "acled", 1, None),
    ("r09", "YE", "airwars", 2, 2),
    ("r10", "LY", "airwars", 3, 6),
]
# Fact sums of killed_max: SY 6, IQ 7, YE 6, LY 6. YE is wrong here and SO has no fact rows.
AGG_ROWS = [("SY", 6), ("IQ", 7), ("YE", 99), ("LY", 6), ("SO", 5)]


def make_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(
            "CREATE TABLE marts.harm_reports (report_id VARCHAR, country VARCHAR, "
            "source VARCHAR, killed_min INTEGER, killed_max INTEGER)"
        )
        con.executemany("INSERT INTO marts.harm_reports VALUES (?, ?, ?, ?, ?)", FACT_ROWS)
        con.execute("CREATE TABLE marts.agg_by_country (country VARCHAR, killed_max_total INTEGER)")
        con.executemany("INSERT INTO marts.agg_by_country VALUES (?, ?)", AGG_ROWS)
    return path


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs") / "data_docs"


@pytest.fixture(scope="module")
def results(warehouse: Path, docs_dir: Path) -> dict[str, ExpectationResult]:
    suites = load_suites(FIXTURE_SUITES)
    out = run_suites(warehouse, suites, run_id="run-1", data_docs_dir=docs_dir)
    return {f"{r.suite}.{r.expectation}": r for r in out}


def test_failing_between_reports_exact_unexpected_count(results):
    r = results["harm_reports.killed_min_non_negative"]
    assert (r.success, r.unexpected_count) == (False, 3)
    assert r.table_name == "marts.harm_reports"
    assert r.severity == "error"
    assert r.run_id == "run-1"
    assert r.checked_at.tzinfo is None  # stored as UTC in a TIMESTAMP column


def test_pair_expectation_ignores_nulls_and_counts_inversions(results):
    r = results["harm_reports.killed_min_le_max"]
    assert (r.success, r.unexpected_count) == (False, 2)


def test_passing_expectations(results):
    for name in ("report_id_unique", "source_known", "row_count"):
        assert results[f"harm_reports.{name}"].success, name
    assert results["harm_reports.row_count"].observed_value == "10"
    assert results["harm_reports.source_known"].unexpected_count == 0


def test_query_suite_conservation_check(results):
    r = results["agg_by_country_matches_fact.killed_max_total_equals_fact"]
    # YE differs, SO is missing from the fact table.
    assert (r.success, r.unexpected_count) == (False, 2)
    assert r.table_name == "marts.agg_by_country"


def test_failed_errors_and_format_failure(results):
    failed = failed_errors(results.values())
    assert {f"{r.suite}.{r.expectation}" for r in failed} == {
        "harm_reports.killed_min_non_negative",
        "harm_reports.killed_min_le_max",
        "agg_by_country_matches_fact.killed_max_total_equals_fact",
    }
    message = format_failure(results["harm_reports.killed_min_non_negative"])
    assert message == (
        "harm_reports.killed_min_non_negative failed (error): "
        "3 unexpected rows in marts.harm_reports"
    )


def test_data_docs_index_is_built(results, docs_dir: Path):
    index = docs_dir / "index.html"
    assert index.is_file()
    assert "harm_reports" in index.read_text(encoding="utf-8")


def test_database_is_opened_read_only(results, warehouse: Path):
    # A second process-level reader is fine while validation holds the file read-only.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.harm_reports").fetchone() == (10,)


def test_write_results_creates_and_appends(results, tmp_path: Path):
    # Named like the schema on purpose: "audit" must not become ambiguous.
    with duckdb.connect(str(tmp_path / "audit.duckdb")) as con:
        assert write_results(con, list(results.values())) == len(results)
        write_results(con, list(results.values()))
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = 'audit' AND table_schema = 'audit' "
            "AND table_name = 'validation_results' "
            "ORDER BY ordinal_position"
        ).fetchall()
        assert columns == [
            ("run_id", "VARCHAR"),
            ("checked_at", "TIMESTAMP"),
            ("suite", "VARCHAR"),
            ("expectation", "VARCHAR"),
            ("table_name", "VARCHAR"),
            ("severity", "VARCHAR"),
            ("success", "BOOLEAN"),
            ("unexpected_count", "BIGINT"),
            ("observed_value", "VARCHAR"),
            ("first_failing", "VARCHAR"),
        ]
        row = con.execute(
            "SELECT count(*), sum(unexpected_count) FILTER (WHERE NOT success) "
            "FROM audit.audit.validation_results WHERE expectation = 'killed_min_non_negative'"
        ).fetchone()
        assert row == (2, 6)


def test_unreadable_table_fails_each_expectation(tmp_path: Path):
    suite_dir = tmp_path / "suites"
    suite_dir.mkdir()
    (suite_dir / "missing.yml").write_text(
        textwrap.dedent("""
            suite: missing
            table: marts.no_such_table
            expectations:
              - {name: a, type: expect_table_row_count_to_be_between,
                 kwargs: {min_value: 1}, severity: error}
              - {name: b, type: expect_column_values_to_not_be_null,
                 kwargs: {column: x}, severity: warn}
        """)
    )
    db = make_warehouse(tmp_path / "w.duckdb")
    out = run_suites(db, load_suites(suite_dir), run_id="r", data_docs_dir=None)
    assert [(r.expectation, r.success) for r in out] == [("a", False), ("b", False)]
    assert "no_such_table" in (out[0].observed_value or "")


def test_missing_column_fails_only_its_expectation(tmp_path: Path):
    suite_dir = tmp_path / "suites"
    suite_dir.mkdir()
    (suite_dir / "s.yml").write_text(
        textwrap.dedent("""
            suite: s
            table: marts.harm_reports
            expectations:
              - {name: gone, type: expect_column_values_to_not_be_null,
                 kwargs: {column: no_such_column}, severity: error}
              - {name: here, type: expect_column_values_to_not_be_null,
                 kwargs: {column: report_id}, severity: error}
        """)
    )
    db = make_warehouse(tmp_path / "w.duckdb")
    out = {r.expectation: r for r in run_suites(db, load_suites(suite_dir), run_id="r")}
    assert out["gone"].success is False
    assert out["gone"].observed_value.startswith("error:")
    assert out["here"].success is True


# --- YAML validation -------------------------------------------------------------------------

GOOD = {"name": "ok", "type": "expect_column_values_to_not_be_null",
        "kwargs": "{column: a}", "severity": "error"}  # fmt: skip


def write_suite(directory: Path, filename: str, *expectations: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    items = "\n".join(
        "  - " + "\n    ".join(f"{k}: {v}" for k, v in e.items()) for e in expectations
    )
    path = directory / filename
    path.write_text(f"suite: s\ntable: marts.t\nexpectations:\n{items}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({**GOOD, "name": "sev", "severity": "fatal"}, "severity"),
        ({**GOOD, "name": "typ", "type": "expect_column_to_be_lovely"}, "unknown expectation type"),
        ({**GOOD, "name": "key", "mostly": "0.5"}, "unknown keys"),
    ],
)
def test_yaml_errors_name_file_and_expectation(tmp_path: Path, bad: dict, message: str):
    path = write_suite(tmp_path / "suites", "broken.yml", GOOD, bad)
    with pytest.raises(ValueError, match=message) as excinfo:
        load_suites(path.parent)
    assert str(path) in str(excinfo.value)
    assert f"'{bad['name']}'" in str(excinfo.value)


def test_duplicate_expectation_names_are_rejected(tmp_path: Path):
    path = write_suite(tmp_path / "suites", "dupes.yml", GOOD, GOOD)
    with pytest.raises(ValueError, match="declared twice") as excinfo:
        load_suites(path.parent)
    assert str(path) in str(excinfo.value) and "'ok'" in str(excinfo.value)


def test_query_suite_needs_table_name(tmp_path: Path):
    suite_dir = tmp_path / "suites"
    suite_dir.mkdir()
    (suite_dir / "q.yml").write_text(
        "suite: q\nquery: SELECT 1 AS a\nexpectations:\n"
        "  - {name: ok, type: expect_column_values_to_not_be_null, kwargs: {column: a},"
        " severity: error}\n"
    )
    with pytest.raises(ValueError, match="table_name"):
        load_suites(suite_dir)


def test_bad_kwargs_name_suite_and_expectation(tmp_path: Path):
    bad = {**GOOD, "name": "kw", "kwargs": "{column: a, min_value: lots}"}
    bad["type"] = "expect_column_values_to_be_between"
    path = write_suite(tmp_path / "suites", "kwargs.yml", bad)
    with pytest.raises(ValueError, match="invalid kwargs") as excinfo:
        check_kwargs(load_suites(path.parent))
    assert str(path) in str(excinfo.value) and "'kw'" in str(excinfo.value)


def test_fixture_suites_have_valid_kwargs():
    check_kwargs(load_suites(FIXTURE_SUITES))


def test_catalogue_matches_installed_great_expectations():
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    sql_only = {"ExpectQueryResultsToMatchComparison", "ExpectTableRowCountToEqualOtherTable"}
    installed = {
        cls.expectation_type: name
        for name, cls in vars(gx.expectations).items()
        if inspect.isclass(cls)
        and issubclass(cls, Expectation)
        and name.startswith("Expect")
        and name not in sql_only
        and cls.expectation_type  # deprecated classes have none
    }
    assert installed == GX_EXPECTATION_CLASSES, (
        "great_expectations' expectation types changed: regenerate expectations/catalogue.py"
    )


def test_importing_the_package_does_not_import_great_expectations():
    import subprocess
    import sys

    code = "import sys, expectations; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_failure_names_its_first_records_by_file_and_line():
    from expectations.results import ExpectationResult

    result = ExpectationResult(
        run_id="r",
        checked_at=None,
        suite="ledger_claim_parts",
        expectation="part_within_whole",
        table_name="marts.fct_claim_parts",
        severity="error",
        success=False,
        unexpected_count=1,
        observed_value=None,
        first_failing='[{"source_file": "ledger/x.yaml", "source_line": 13,'
        ' "part_report_id": "ledger:x/part"}]',
    )
    assert format_failure(result) == (
        "ledger_claim_parts.part_within_whole failed (error): 1 unexpected row in"
        " marts.fct_claim_parts; first: ledger/x.yaml line 13 part_report_id=ledger:x/part"
    )


def test_results_of_a_warehouse_older_than_first_failing_still_read(results, tmp_path: Path):
    from expectations.results import read_results

    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("create schema audit")
        con.execute(
            "create table audit.validation_results (run_id varchar, checked_at timestamp,"
            " suite varchar, expectation varchar, table_name varchar, severity varchar,"
            " success boolean, unexpected_count bigint, observed_value varchar)"
        )
        con.execute(
            "insert into audit.validation_results values"
            " ('old', now(), 's', 'e', 't', 'warn', false, 2, null)"
        )
        (old,) = read_results(con, "old")
        assert (old.unexpected_count, old.first_failing) == (2, None)
        write_results(con, list(results.values()))  # adds the column, keeps the old rows
        assert read_results(con, "old")[0].first_failing is None
