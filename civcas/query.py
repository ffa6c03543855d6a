"""`civcas sql`: read-only queries on the published warehouse that cannot reach anything else.

The file is opened read-only with DuckDB's own lock-down settings ("Securing DuckDB"): no file
system or network access beyond the database itself (so no COPY/EXPORT/ATTACH/read_csv of other
paths), no extension installing or loading, and the configuration locked so that no `SET` can undo
any of it. DuckDB has no statement timeout, so a timer thread interrupts a query that runs too long.

A query's temporary files go to a private folder of the session (mode 0700, removed at the end),
capped by CIVCAS_SQL_TEMP_LIMIT, never beside the published file on the disk publishing needs.
Results are never held whole in Python: a table is DuckDB's own box renderer (at most --max-rows
rows, wide cells cut, newlines and control characters escaped), CSV and JSON are streamed in
batches.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

from civcas.identifiers import quoted
from civcas.lake import LakeError
from civcas.published import (
    AsOf,
    NothingPublished,
    allowed_directories,
    describe,
    open_published,
)
from civcas.settings import DUCKDB_MEMORY_LIMIT, DUCKDB_THREADS, Settings

DEFAULT_TIME_LIMIT_SECONDS = 300.0  # CIVCAS_SQL_TIME_LIMIT
DEFAULT_TEMP_LIMIT = "2GB"  # CIVCAS_SQL_TEMP_LIMIT
DEFAULT_MAX_ROWS = 40  # the DuckDB CLI's own default
FETCH_BATCH_ROWS = 10_000
GUARDED_CONFIG = {
    "threads": DUCKDB_THREADS,
    "memory_limit": DUCKDB_MEMORY_LIMIT,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
# Set once the file is open, in this order: the temporary folder can no longer be changed once
# external access is off, and nothing at all once the configuration is locked.
LOCK_DOWN = ("set enable_external_access = false", "set lock_configuration = true")
# Terminal control characters DuckDB's renderer leaves as they are (C0 and DEL it escapes, but not
# the C1 range, where U+009B is a terminal's CSI); any left in CSV bound for a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class QueryRefused(Exception):
    """The query could not run; the message says why in the operator's terms."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def time_limit_from_env() -> float:
    text = os.environ.get("CIVCAS_SQL_TIME_LIMIT", "").strip()
    return float(text) if text else DEFAULT_TIME_LIMIT_SECONDS


def temp_limit_from_env() -> str:
    return os.environ.get("CIVCAS_SQL_TEMP_LIMIT", "").strip() or DEFAULT_TEMP_LIMIT


def escape_controls(text: str) -> str:
    r"""Control characters as `\xNN`, so that no value can drive the terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def open_guarded(
    source: Path | Settings, temp_dir: Path | None = None, *, publish: AsOf | None = None
) -> duckdb.DuckDBPyConnection:
    """The published warehouse (a file's path, or the settings: file or lake; or the earlier
    `publish` civcas.published.publish_as_of found), read-only and locked down; a clear error
    when someone holds the file. In lake mode only the lake's data folder stays reachable
    (`allowed_directories`), for DuckLake to read its Parquet files."""
    settings = source if isinstance(source, Settings) else Settings(source, Path())
    path = describe(settings)
    config = dict(GUARDED_CONFIG)
    if temp_dir is not None:
        config |= {
            "temp_directory": str(temp_dir),
            "max_temp_directory_size": temp_limit_from_env(),
        }
    try:
        con = open_published(settings, config=config, publish=publish)
    except (NothingPublished, LakeError) as error:
        raise QueryRefused(str(error)) from None
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise QueryRefused(f"{path} cannot be opened: {error}") from None
        holder = str(error).split("Conflicting lock is held in", 1)[-1].strip().rstrip(".")
        raise QueryRefused(
            f"{path} is open read-write in another process ({holder}); DuckDB allows one"
            " read-write process or many readers, never both. Close that connection (analysts"
            " must open the published file read-only: `duckdb -readonly`), then query again"
        ) from None
    except duckdb.Error as error:
        raise QueryRefused(f"{path} cannot be opened: {error}") from None
    allowed = allowed_directories(settings)
    if allowed:
        con.execute("set allowed_directories = ?", [allowed])
    for statement in LOCK_DOWN:
        con.execute(statement)
    return con


class GuardedSession:
    """One read-only, locked-down connection with a private temporary folder; `run` prints every
    statement's result."""

    def __init__(
        self,
        path: Path | Settings,
        time_limit: float | None = None,
        publish: AsOf | None = None,
    ):
        self.limit = time_limit_from_env() if time_limit is None else time_limit
        self.temp_dir = Path(tempfile.mkdtemp(prefix="civcas-sql-"))  # mode 0700
        try:
            self.con = open_guarded(path, self.temp_dir, publish=publish)
        except BaseException:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            raise

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> GuardedSession:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        """Interrupt after the time limit; every DuckDB error as QueryRefused in plain words."""
        timed_out = threading.Event()

        def interrupt() -> None:
            timed_out.set()
            self.con.interrupt()

        timer = threading.Timer(self.limit, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except duckdb.Error as error:
            if timed_out.is_set():
                raise QueryRefused(
                    f"the query ran longer than {self.limit:g} s and was stopped"
                    " (CIVCAS_SQL_TIME_LIMIT sets the limit in seconds)"
                ) from None
            if isinstance(error, duckdb.OutOfMemoryException):
                raise QueryRefused(
                    "the result does not fit in memory and the temporary space of `civcas sql`"
                    f" ({temp_limit_from_env()}; CIVCAS_SQL_TEMP_LIMIT): aggregate, add a LIMIT,"
                    f" or select fewer columns ({_first_line(error)})"
                ) from None
            raise QueryRefused(str(error)) from None
        finally:
            timer.cancel()

    def statements(self, sql: str) -> list[str]:
        if not sql.strip().strip(";").strip():
            raise QueryRefused(
                'the query is empty: give one SQL statement, e.g. "select count(*) from'
                ' marts.fct_civilian_harm_reports"'
            )
        with self._guarded():
            return [statement.query for statement in duckdb.extract_statements(sql)]

    def fetch_all(self, sql: str) -> QueryResult:
        """The last statement's rows in Python (for small results; the CLI prints instead)."""
        *_, last = self.statements(sql)
        with self._guarded():
            cursor = self.con.execute(last)
            return QueryResult([c[0] for c in cursor.description or []], cursor.fetchall())

    def run(self, sql: str, out: TextIO, fmt: str = "table", max_rows: int = DEFAULT_MAX_ROWS):
        """Print the result of every statement of `sql` to `out`."""
        for number, statement in enumerate(self.statements(sql)):
            if number:
                out.write("\n")
            with self._guarded():
                if fmt == "table":
                    self._table(statement, out, max_rows)
                else:
                    self._stream(statement, out, fmt, escape=fmt == "csv" and out.isatty())

    def _table(self, statement: str, out: TextIO, max_rows: int) -> None:
        relation = self.con.sql(statement)
        if relation is None:  # a statement without a result
            return
        rendered = io.StringIO()
        with contextlib.redirect_stdout(rendered):
            relation.show(
                max_rows=max_rows,
                max_width=shutil.get_terminal_size((120, 24)).columns,
                null_value="NULL",
            )
        out.write(escape_controls(rendered.getvalue().rstrip("\n")) + "\n")

    def _stream(self, statement: str, out: TextIO, fmt: str, *, escape: bool) -> None:
        if fmt == "csv":
            relation = self.con.sql(statement)
            if relation is None:  # a statement without a result
                return
            relation = nested_as_json(relation)
            columns, fetch = relation.columns, relation.fetchmany
        else:
            cursor = self.con.execute(statement)
            if cursor.description is None:
                return
            columns, fetch = [column[0] for column in cursor.description], cursor.fetchmany
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(columns)
        else:
            out.write("[")
        first = True
        while batch := fetch(FETCH_BATCH_ROWS):
            if writer:
                rows = (
                    (
                        [escape_controls(str(v)) if isinstance(v, str) else v for v in row]
                        for row in batch
                    )
                    if escape
                    else batch
                )
                writer.writerows(rows)
                continue
            for row in batch:
                out.write(
                    ("\n" if first else ",\n")
                    + json.dumps(dict(zip(columns, row, strict=True)), default=str)
                )
                first = False
        if not writer:
            out.write("\n]\n")


def is_nested(data_type: str) -> bool:
    """A DuckDB list, array, struct, map or union type: written as JSON in a CSV cell."""
    return data_type.endswith("]") or data_type.startswith(("STRUCT", "MAP", "UNION"))


def nested_as_json(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """`relation` with its nested columns as JSON text, as `civcas export` writes them."""
    types = [str(data_type) for data_type in relation.types]
    if not any(is_nested(data_type) for data_type in types):
        return relation
    return relation.project(
        ", ".join(
            f"to_json({quoted(name)})::varchar as {quoted(name)}"
            if is_nested(data_type)
            else quoted(name)
            for name, data_type in zip(relation.columns, types, strict=True)
        )
    )


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def run_query(path: Path, sql: str, time_limit: float | None = None) -> QueryResult:
    """Run a query on the published warehouse and return the last statement's rows;
    QueryRefused for lock, timeout or a refusal."""
    with GuardedSession(path, time_limit) as session:
        return session.fetch_all(sql)
