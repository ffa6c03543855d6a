"""Validation results as plain rows, and their home: the DuckDB table audit.validation_results."""

from __future__ import annotations

import json
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
    ("first_failing", "VARCHAR"),
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
    # JSON list of the first failing records, each as the suite's `identify` columns name it
    # (for a ledger claim: its YAML file and line); empty when the suite names none.
    first_failing: str | None = None


def failed_errors(results: Iterable[ExpectationResult]) -> list[ExpectationResult]:
    """The failed error-level results: the ones that must stop a publish."""
    return [r for r in results if r.severity == "error" and not r.success]


def describe_records(first_failing: str | None) -> str:
    """The first failing records as a reader looks them up: `file line N` when the record names
    its file and line, then its other identifying columns as `column=value`."""
    records = json.loads(first_failing) if first_failing else []
    described = []
    for record in records:
        where = (
            [f"{record.pop('source_file')} line {record.pop('source_line')}"]
            if {"source_file", "source_line"} <= set(record)
            else []
        )
        described.append(" ".join(where + [f"{key}={value}" for key, value in record.items()]))
    return "; ".join(described)


def failure_detail(unexpected_count: int | None, observed: str | None, first: str | None) -> str:
    """What failed: the count of unexpected rows (or the observed value) and the first records."""
    if unexpected_count is None:
        detail = f"observed {observed}"
    else:
        detail = f"{unexpected_count:,} unexpected {'row' if unexpected_count == 1 else 'rows'}"
    records = describe_records(first)
    return f"{detail}; first: {records}" if records else detail


def format_failure(result: ExpectationResult) -> str:
    """One line for logs and run failure messages, naming the first failing records."""
    head = f"{result.suite}.{result.expectation} failed ({result.severity})"
    if result.unexpected_count is None:
        return f"{head}: observed {result.observed_value} in {result.table_name}"
    detail = failure_detail(result.unexpected_count, None, None)
    records = describe_records(result.first_failing)
    return f"{head}: {detail} in {result.table_name}" + (f"; first: {records}" if records else "")


def read_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[ExpectationResult]:
    """One run's results from audit.validation_results; a column a warehouse published before it
    existed (first_failing) reads as empty."""
    result = con.execute(f"select * from {RESULTS_TABLE} where run_id = ?", [run_id])
    columns = [d[0] for d in result.description]
    known = {name for name, _ in _COLUMNS}
    return [
        ExpectationResult(**{k: v for k, v in zip(columns, row, strict=True) if k in known})
        for row in result.fetchall()
    ]


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
    # A warehouse published before a column existed gets it, empty for its earlier runs.
    for name, type_ in _COLUMNS:
        con.execute(f"ALTER TABLE {table_sql} ADD COLUMN IF NOT EXISTS {name} {type_}")
    if not results:
        return 0
    names = ", ".join(name for name, _ in _COLUMNS)
    placeholders = ", ".join("?" for _ in _COLUMNS)
    con.executemany(
        f"INSERT INTO {table_sql} ({names}) VALUES ({placeholders})",
        [list(astuple(r)) for r in results],
    )
    return len(results)
