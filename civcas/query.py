"""`civcas sql`: read-only queries on the published warehouse that cannot reach anything else.

The file is opened read-only with DuckDB's own lock-down settings ("Securing DuckDB"): no file
system or network access beyond the database itself (so no COPY/EXPORT/ATTACH/read_csv of other
paths), no extension installing or loading, and the configuration locked so that no `SET` can undo
any of it. DuckDB has no statement timeout, so a timer thread interrupts a query that runs too long.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

DEFAULT_TIME_LIMIT_SECONDS = 300.0  # CIVCAS_SQL_TIME_LIMIT
GUARDED_CONFIG = {
    "threads": 2,
    "memory_limit": "768MB",
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,  # last: nothing above can be SET back from a query
}


class QueryRefused(Exception):
    """The query could not run; the message says why in the operator's terms."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def time_limit_from_env() -> float:
    text = os.environ.get("CIVCAS_SQL_TIME_LIMIT", "").strip()
    return float(text) if text else DEFAULT_TIME_LIMIT_SECONDS


def open_guarded(path: Path) -> duckdb.DuckDBPyConnection:
    """The published file, read-only and locked down; a clear error when someone holds it."""
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(GUARDED_CONFIG))
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        holder = str(error).split("Conflicting lock is held in", 1)[-1].strip().rstrip(".")
        raise QueryRefused(
            f"{path} is open read-write in another process ({holder}); DuckDB allows one"
            " read-write process or many readers, never both. Close that connection (analysts"
            " must open the published file read-only: `duckdb -readonly`), then query again"
        ) from None


def run_query(path: Path, sql: str, time_limit: float | None = None) -> QueryResult:
    """Run one query on the published warehouse; QueryRefused for lock, timeout or a refusal."""
    if not sql.strip().strip(";").strip():
        raise QueryRefused(
            'the query is empty: give one SQL statement, e.g. "select count(*) from'
            ' marts.fct_civilian_harm_reports"'
        )
    limit = time_limit_from_env() if time_limit is None else time_limit
    con = open_guarded(path)
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(limit, interrupt)
    timer.daemon = True
    timer.start()
    try:
        cursor = con.execute(sql)
        columns = [column[0] for column in cursor.description or []]
        return QueryResult(columns, cursor.fetchall())
    except duckdb.Error as error:
        if timed_out.is_set():
            raise QueryRefused(
                f"the query ran longer than {limit:g} s and was stopped"
                " (CIVCAS_SQL_TIME_LIMIT sets the limit in seconds)"
            ) from None
        raise QueryRefused(str(error)) from None
    finally:
        timer.cancel()
        con.close()
