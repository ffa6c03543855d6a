"""Validation results as plain rows, and their home: the DuckDB table audit.validation_results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import datetime

import duckdb

RESULTS_TABLE = "audit.validation_results"
_COLUMNS = (
    ("run_id", "VARCHAR"),
    ("checked_at", "TIMESTAMP"),
    ("suite", "VARCHAR"),
    ("expectation", "VARCHAR"),
    ("table_name", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("success", "BOOLEAN"),
    ("unexpected_count", "BIGINT"),
    ("observed_value", "VARCHAR"),
)


@dataclass(frozen=True)
class ExpectationResult:
    run_id: str
    checked_at: datetime  # UTC, naive (DuckDB TIMESTAMP has no zone)
    suite: str
    expectation: str
    table_name: str
    severity: str  # "error" | "warn"
    success: bool
    unexpected_count: int | None
    observed_value: str | None


def failed_errors(results: Iterable[ExpectationResult]) -> list[ExpectationResult]:
    """The failed error-level results: the ones that must stop a publish."""
    return [r for r in results if r.severity == "error" and not r.success]


def format_failure(result: ExpectationResult) -> str:
    """One line for logs and run failure messages."""
    head = f"{result.suite}.{result.expectation} failed ({result.severity})"
    if result.unexpected_count is not None:
        rows = "row" if result.unexpected_count == 1 else "rows"
        return f"{head}: {result.unexpected_count} unexpected {rows} in {result.table_name}"
    return f"{head}: observed {result.observed_value} in {result.table_name}"


def write_results(con: duckdb.DuckDBPyConnection, results: Sequence[ExpectationResult]) -> int:
    """Append results to audit.validation_results (created if missing); returns rows written."""
    # Qualified by catalog: a database file named audit.duckdb would make "audit" ambiguous.
    (catalog,) = con.execute("SELECT current_database()").fetchone()
    schema, table = RESULTS_TABLE.split(".")
    schema_sql = f'"{catalog}"."{schema}"'
    table_sql = f'{schema_sql}."{table}"'
    columns_sql = ", ".join(f"{name} {type_}" for name, type_ in _COLUMNS)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema_sql}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {table_sql} ({columns_sql})")
    if not results:
        return 0
    names = ", ".join(name for name, _ in _COLUMNS)
    placeholders = ", ".join("?" for _ in _COLUMNS)
    con.executemany(
        f"INSERT INTO {table_sql} ({names}) VALUES ({placeholders})",
        [list(astuple(r)) for r in results],
    )
    return len(results)
