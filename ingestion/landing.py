"""Shared landing mechanics: the load log, file fingerprints and set-wise CSV landing.

Every landed file or API page gets one row in `raw._loads`; `audit.loads` (a dbt model) adds the
accepted/rejected counts. Records the CSV parser cannot read go to `raw._parse_rejects`, so that
`rows_in = rows_accepted + rows_rejected` holds even for malformed files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

LOAD_LOG_DDL = """
create schema if not exists raw;
create table if not exists raw._loads (
    load_id varchar primary key,
    source varchar not null,
    source_file varchar not null,
    sha256 varchar not null,
    rows_in bigint not null,
    loaded_at timestamp not null,
    request_params varchar
);
create table if not exists raw._parse_rejects (
    load_id varchar not null,
    source varchar not null,
    source_file varchar not null,
    row_number bigint,
    reason varchar not null,
    raw_record varchar
);
"""


class LandingError(Exception):
    """A source file or page cannot be landed; the message names the file and what is wrong."""


@dataclass(frozen=True)
class LoadResult:
    load_id: str | None
    source: str
    source_file: str
    sha256: str
    rows_in: int
    skipped: bool  # True when the same content was landed before

    @property
    def summary(self) -> str:
        if self.skipped:
            return f"{self.source_file}: already landed (sha256 {self.sha256[:12]}), skipped"
        return f"{self.source_file}: {self.rows_in} rows landed as {self.load_id}"


def ensure_load_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(LOAD_LOG_DDL)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def already_landed(con: duckdb.DuckDBPyConnection, source: str, sha256: str) -> bool:
    row = con.execute(
        "select 1 from raw._loads where source = ? and sha256 = ? limit 1", [source, sha256]
    ).fetchone()
    return row is not None


def new_load_id(source: str, sha256: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{source}-{stamp}-{sha256[:12]}"


def record_load(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    source: str,
    source_file: str,
    sha256: str,
    rows_in: int,
    request_params: str | None = None,
) -> None:
    con.execute(
        "insert into raw._loads values (?, ?, ?, ?, ?, now()::timestamp, ?)",
        [load_id, source, source_file, sha256, rows_in, request_params],
    )


def _csv_reader(path: Path, **extra: str) -> str:
    options = "".join(f", {key}={value}" for key, value in extra.items())
    quoted = str(path).replace("'", "''")
    return (
        f"read_csv('{quoted}', all_varchar=true, header=true, delim=',', quote='\"',"
        f" escape='\"'{options})"
    )


METADATA_COLUMNS = (
    "_load_id varchar, _source_file varchar, _row_number bigint, _loaded_at timestamp"
)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]) -> None:
    """Create raw.<table> (all text + load metadata) so that models build before a first load."""
    ensure_load_log(con)
    column_sql = ", ".join(f'"{column}" varchar' for column in columns)
    con.execute(f"create table if not exists raw.{table} ({column_sql}, {METADATA_COLUMNS})")


def check_header(con: duckdb.DuckDBPyConnection, path: Path, expected: Sequence[str]) -> None:
    try:
        found = [
            row[0]
            for row in con.execute(
                f"describe select * from {_csv_reader(path, ignore_errors='true')}"
            ).fetchall()
        ]
    except duckdb.Error as error:
        raise LandingError(f"{path}: not a readable CSV file ({error})") from error
    missing = [column for column in expected if column not in found]
    unexpected = [column for column in found if column not in expected]
    if missing or unexpected:
        raise LandingError(
            f"{path}: header does not match the {len(expected)} expected columns;"
            f" missing: {', '.join(missing) or 'none'};"
            f" unexpected: {', '.join(unexpected) or 'none'}"
        )


def land_csv(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    table: str,
    path: Path,
    columns: Sequence[str],
    source_file: str,
) -> LoadResult:
    """Land one CSV file into raw.<table> (all text) in one INSERT ... SELECT.

    Re-landing identical content is a no-op. Malformed records are kept in raw._parse_rejects.
    """
    ensure_load_log(con)
    sha256 = file_sha256(path)
    if already_landed(con, source, sha256):
        return LoadResult(None, source, source_file, sha256, 0, skipped=True)
    check_header(con, path, columns)
    load_id = new_load_id(source, sha256)
    column_list = ", ".join(f'"{column}"' for column in columns)
    ensure_raw_table(con, table, columns)
    con.execute("begin transaction")
    try:
        reader = _csv_reader(
            path,
            store_rejects="true",
            rejects_table="'_civcas_rejects'",
            rejects_scan="'_civcas_reject_scans'",
        )
        landed = con.execute(
            f"insert into raw.{table} select {column_list}, ?, ?, row_number() over (),"
            f" now()::timestamp from {reader}",
            [load_id, source_file],
        ).fetchone()[0]
        # DuckDB reports one error per missing column: one record is one line here.
        rejected = con.execute(
            """
            insert into raw._parse_rejects
            select ?, ?, ?, line,
                   'malformed CSV record at line ' || line || ': '
                       || min(error_message),
                   trim(any_value(csv_line), chr(10) || chr(13))
            from _civcas_rejects
            group by line
            """,
            [load_id, source, source_file],
        ).fetchone()[0]
        con.execute("drop table _civcas_rejects; drop table _civcas_reject_scans")
        record_load(
            con,
            load_id=load_id,
            source=source,
            source_file=source_file,
            sha256=sha256,
            rows_in=landed + rejected,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return LoadResult(load_id, source, source_file, sha256, landed + rejected, skipped=False)


def land_csv_files(
    con: duckdb.DuckDBPyConnection,
    source: str,
    landing_dir: Path,
    files: Sequence[tuple[Path, str, Sequence[str]]],
) -> list[LoadResult]:
    """Land each (file, raw table, columns) of one file-drop source, in the order given."""
    return [
        land_csv(
            con,
            source=source,
            table=table,
            path=path,
            columns=columns,
            source_file=str(path.relative_to(landing_dir)),
        )
        for path, table, columns in files
    ]
