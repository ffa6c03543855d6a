"""Shared landing mechanics: the load log, file fingerprints and set-wise CSV landing.

Every landed file or API page gets one row in `raw._loads`; `audit.loads` (a dbt model) adds the
accepted/rejected counts. Records the CSV parser cannot read go to `raw._parse_rejects`, so that
`rows_in = rows_accepted + rows_rejected` holds even for malformed files.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from ingestion.csv_records import MAX_LINES_PER_RECORD, RecordScan, scan_records

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
    skipped: bool  # True when the same content was landed before, or when not landed at all
    not_landed: str | None = None  # why a file of the drop folder was not landed

    @property
    def summary(self) -> str:
        if self.not_landed == DOCUMENTATION:
            return f"{self.source_file}: {DOCUMENTATION}"
        if self.not_landed:
            return f"{self.source_file}: NOT landed: {self.not_landed}"
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


def already_landed(
    con: duckdb.DuckDBPyConnection, source: str, source_file: str, sha256: str
) -> bool:
    """True when the newest load of this file name has this content. An earlier export dropped
    back (A, then B, then A again) differs from the newest load, so it is landed again."""
    row = con.execute(
        "select sha256 from raw._loads where source = ? and source_file = ?"
        " order by loaded_at desc, load_id desc limit 1",
        [source, source_file],
    ).fetchone()
    return row is not None and row[0] == sha256


GLOB_CHARACTERS = frozenset("*?[]")
# A file that documents the data beside it (Airwars ships ATTRIBUTION.md): listed, not landed,
# and not reported as a problem.
DOCUMENTATION = "documentation, not data"
DOCUMENTATION_PATTERNS = ("*.md", "readme*", "license*")


@dataclass(frozen=True)
class DropFolder:
    """What a source's drop folder holds: files to land (with the pattern each matched), and a
    LoadResult with the reason for every other entry."""

    matched: list[tuple[Path, str]]
    refused: list[LoadResult]


def read_drop_folder(landing_dir: Path, source: str, patterns: Sequence[str]) -> DropFolder:
    """Sort every entry of `<landing_dir>/<source>/` into landable files and refusals.

    Names are compared literally and case-sensitively with the source's patterns; a name holding a
    glob character is refused (DuckDB would expand it and read the neighbours), and so is a
    symlink leading out of the folder.
    """
    folder = landing_dir / source
    inside = folder.resolve()
    matched: list[tuple[Path, str]] = []
    refused: list[LoadResult] = []

    def refuse(path: Path, reason: str) -> None:
        name = str(path.relative_to(landing_dir))
        refused.append(LoadResult(None, source, name, "", 0, skipped=True, not_landed=reason))

    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    for path in entries:
        name = path.name
        pattern = next((p for p in patterns if fnmatch.fnmatchcase(name, p)), None)
        loose = next((p for p in patterns if fnmatch.fnmatchcase(name.lower(), p)), None)
        if GLOB_CHARACTERS & set(name):
            refuse(path, "the name holds a glob character (* ? [ ]); rename the file")
        elif path.is_symlink() and not path.resolve().is_relative_to(inside):
            refuse(path, "a symbolic link leading outside the drop folder")
        elif not path.is_file():
            refuse(path, "not a regular file")
        elif pattern is not None:
            matched.append((path, pattern))
        elif any(fnmatch.fnmatchcase(name.lower(), p) for p in DOCUMENTATION_PATTERNS):
            refuse(path, DOCUMENTATION)
        elif loose is not None:
            refuse(
                path,
                f"the name matches {loose} only when ignoring case; names are case-sensitive:"
                f" rename it {name.lower()}",
            )
        else:
            refuse(path, f"the name matches none of {', '.join(patterns)}")
    return DropFolder(matched, refused)


@dataclass(frozen=True)
class CsvFeed:
    """One kind of CSV file in a drop folder: its name pattern, its raw table and its header.

    A source published in several shapes is read by column name: `columns` must all be in the
    header, `optional` ones may be (landed empty when not), any other column fails the file."""

    pattern: str
    table: str
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # The Humanitarian Data Exchange puts a row of HXL hashtags (`#date+year`) under the header.
    hxl_tag_row: bool = False
    # Lines of notes above the header (Iraq Body Count's export): the header is the first line
    # starting with the first column's name; the lines above it are not records.
    notes_before_header: bool = False

    @property
    def raw_columns(self) -> tuple[str, ...]:
        return self.columns + self.optional


@dataclass(frozen=True)
class CsvDropFolder:
    """A file-drop source of CSV feeds: the three functions ingestion/registry.py asks of one.
    A source module exposes them, `landing_files, ensure_raw_tables, land = folder.functions()`."""

    source: str
    feeds: tuple[CsvFeed, ...]

    def files(self, landing_dir: Path) -> tuple[list[tuple[Path, CsvFeed]], list[LoadResult]]:
        """The files of the folder, feed by feed and oldest name first; and a LoadResult saying
        why for every other entry of the folder."""
        folder = read_drop_folder(landing_dir, self.source, [feed.pattern for feed in self.feeds])
        found = [
            (path, feed)
            for feed in self.feeds
            for path, pattern in folder.matched
            if pattern == feed.pattern
        ]
        return found, folder.refused

    def landing_files(self, landing_dir: Path) -> list[Path]:
        return [path for path, _ in self.files(landing_dir)[0]]

    def ensure_raw_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        for feed in self.feeds:
            ensure_raw_table(con, feed.table, feed.raw_columns)

    def land(self, con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[LoadResult]:
        """Land every new file of the folder as one landing (one `loaded_at`), and report every
        entry of the folder that was not landed."""
        self.ensure_raw_tables(con)
        files, refused = self.files(landing_dir)
        loaded_at = landing_time(con)
        return refused + [
            land_csv(
                con,
                source=self.source,
                table=feed.table,
                path=path,
                columns=feed.columns,
                source_file=str(path.relative_to(landing_dir)),
                loaded_at=loaded_at,
                optional=feed.optional,
                hxl_tag_row=feed.hxl_tag_row,
                notes_before_header=feed.notes_before_header,
            )
            for path, feed in files
        ]

    def functions(self):
        return self.landing_files, self.ensure_raw_tables, self.land


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
    loaded_at: datetime | None = None,
) -> None:
    con.execute(
        "insert into raw._loads values (?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            source,
            source_file,
            sha256,
            rows_in,
            loaded_at or landing_time(con),
            request_params,
        ],
    )


def landing_time(con: duckdb.DuckDBPyConnection) -> datetime:
    """The `loaded_at` of a new landing: the instant in UTC (stored without a zone, never the
    local wall clock, which a `TZ` setting or a DST fall-back turns back), and always after every
    earlier landing of the warehouse, so that loaded_at is also the landing sequence: a clock set
    back never lets an older landing win. Files dropped together share one landing, and a later
    landing replaces an earlier one (docs/data_quality.md, "Versions")."""
    ensure_load_log(con)
    latest = con.execute("select max(loaded_at) from raw._loads").fetchone()[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    if latest is not None and now <= latest:
        return latest + timedelta(microseconds=1)
    return now


# DuckDB's readers expand glob patterns anywhere in a path (`…/drop[x]/…` reads `…/dropx/…`);
# inside brackets each of these characters stands for itself.
_LITERAL_GLOB = str.maketrans({"[": "[[]", "]": "[]]", "*": "[*]", "?": "[?]"})


def literal_path(path: Path | str) -> str:
    """`path` for DuckDB's file readers (read_csv, read_json): matching itself only, never a
    neighbour whose name the glob characters of a folder name would also match."""
    return str(path).translate(_LITERAL_GLOB)


def sql_path(path: Path | str) -> str:
    """literal_path() as a SQL string literal."""
    return "'" + literal_path(path).replace("'", "''") + "'"


MAX_NOTES_LINES = 50


def notes_lines(path: Path, first_column: str) -> int:
    """How many lines of notes stand above the header (the first line starting with the first
    column's name, quoted or not), read from the top of the file only."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        for number, line in enumerate(handle):
            if number >= MAX_NOTES_LINES:
                break
            if line.lstrip('"').startswith(first_column):
                return number
    raise LandingError(
        f"{path}: no header line starting with {first_column!r} in its first"
        f" {MAX_NOTES_LINES} lines"
    )


def _csv_reader(path: Path, **extra: str) -> str:
    options = "".join(f", {key}={value}" for key, value in extra.items())
    return (
        f"read_csv({sql_path(path)}, all_varchar=true, header=true, delim=',', quote='\"',"
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
    # A warehouse landed before the source read more columns gains them (empty for old rows).
    for column in columns:
        con.execute(f'alter table raw.{table} add column if not exists "{column}" varchar')


def check_header(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    expected: Sequence[str],
    optional: Sequence[str] = (),
    skip: int = 0,
) -> list[str]:
    """The file's columns; fails naming the expected columns it lacks and any it should not have."""
    try:
        found = [
            row[0]
            for row in con.execute(
                f"describe select * from {_csv_reader(path, ignore_errors='true', skip=str(skip))}"
            ).fetchall()
        ]
    except duckdb.Error as error:
        raise LandingError(f"{path}: not a readable CSV file ({error})") from error
    missing = [column for column in expected if column not in found]
    unexpected = [column for column in found if column not in (*expected, *optional)]
    if missing or unexpected:
        may_have = f" (and may have {len(optional)} more)" if optional else ""
        raise LandingError(
            f"{path}: header does not match the {len(expected)} expected columns{may_have};"
            f" missing: {', '.join(missing) or 'none'};"
            f" unexpected: {', '.join(unexpected) or 'none'}"
        )
    return found


def land_csv(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    table: str,
    path: Path,
    columns: Sequence[str],
    source_file: str,
    loaded_at: datetime | None = None,
    optional: Sequence[str] = (),
    hxl_tag_row: bool = False,
    notes_before_header: bool = False,
) -> LoadResult:
    """Land one CSV file into raw.<table> (all text) in one INSERT ... SELECT, by column name
    (`optional` columns the file lacks land empty).

    Re-landing identical content is a no-op. Malformed records are kept in raw._parse_rejects.
    With `hxl_tag_row`, a row whose every field is empty or an HXL hashtag is not a record: it is
    not landed and not counted in `rows_in`. With `notes_before_header`, the lines above the
    header are notes, not records.
    """
    ensure_load_log(con)
    sha256 = file_sha256(path)
    if already_landed(con, source, source_file, sha256):
        return LoadResult(None, source, source_file, sha256, 0, skipped=True)
    skip = notes_lines(path, columns[0]) if notes_before_header else 0
    found = check_header(con, path, columns, optional, skip)
    scan = scan_records(path)
    # The parser starts at the header; the scan counts the notes above it as records (its
    # record 1, which it takes for the header, is the first line of notes).
    notes = skip - int(scan.blank[1:skip].sum()) if skip else 0
    if scan.open_quote_line is not None:
        unread = int(scan.ends[-1]) if len(scan.ends) else 0
        raise LandingError(
            f"{source_file} line {scan.open_quote_line} (data record {len(scan.ends)}): a quote"
            " opens a field that never closes (or a quote stands inside an unquoted field), so"
            f" everything after byte {unread:,} would be read as one value. Nothing of this file"
            " was landed: fix or remove that quote and drop the file again"
        )
    line, spans = scan.longest_record()
    if spans > MAX_LINES_PER_RECORD:
        raise LandingError(
            f"{source_file} line {line}: one record spans {spans:,} lines (at most"
            f" {MAX_LINES_PER_RECORD} are plausible): a stray quote there swallows the records"
            " after it into one value. Nothing of this file was landed: fix the quotes and drop"
            " the file again"
        )
    load_id = new_load_id(source, sha256)
    loaded_at = loaded_at or landing_time(con)
    raw_columns = (*columns, *optional)
    column_list = ", ".join(
        f'"{column}"' if column in found else f'null as "{column}"' for column in raw_columns
    )
    tag_row = (
        " and ".join(f"coalesce(\"{column}\", '#') like '#%'" for column in found)
        if hxl_tag_row
        else "false"
    )
    ensure_raw_table(con, table, raw_columns)
    con.execute("begin transaction")
    try:
        reader = _csv_reader(
            path,
            skip=str(skip),
            store_rejects="true",
            rejects_table="'_civcas_rejects'",
            rejects_scan="'_civcas_reject_scans'",
        )
        # Row numbers count every record of the file, tag row included, as the rejects do.
        landed = con.execute(
            f"insert into raw.{table} by name select * exclude (_tag_row) from ("
            f" select {column_list}, ? as _load_id, ? as _source_file,"
            " row_number() over () as _row_number, ?::timestamp as _loaded_at,"
            f" {tag_row} as _tag_row from {reader})"
            " where not _tag_row",
            [load_id, source_file, loaded_at],
        ).fetchone()[0]
        tags = (
            con.execute(
                f"select count(*) from {_csv_reader(path, ignore_errors='true', skip=str(skip))}"
                f" where {tag_row}"
            ).fetchone()[0]
            if hxl_tag_row
            else 0
        )
        rejected = _keep_rejects(con, scan, path, load_id, source, source_file)
        con.execute("drop table _civcas_rejects; drop table _civcas_reject_scans")
        if landed + rejected + tags + notes != scan.data_records:
            raise LandingError(
                f"{source_file}: the CSV parser read {landed + rejected:,} records but the file"
                f" holds {scan.data_records:,} (counted from its lines and quotes); nothing was"
                f" landed. {_first_reject_hint(con, scan, load_id)}"
            )
        record_load(
            con,
            load_id=load_id,
            source=source,
            source_file=source_file,
            sha256=sha256,
            rows_in=scan.data_records - tags - notes,
            loaded_at=loaded_at,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    rows_in = scan.data_records - tags - notes
    return LoadResult(load_id, source, source_file, sha256, rows_in, skipped=False)


def _keep_rejects(
    con: duckdb.DuckDBPyConnection,
    scan: RecordScan,
    path: Path,
    load_id: str,
    source: str,
    source_file: str,
) -> int:
    """Every record the parser could not read, with its full raw text (the parser's own copy is
    cut short), into raw._parse_rejects. DuckDB reports one error per missing column: one record
    is one `line` (record number) there."""
    numbers = [
        row[0] for row in con.execute("select distinct line from _civcas_rejects").fetchall()
    ]
    with path.open("rb") as handle:  # only the rejected records' byte ranges are read
        texts = [_read_range(handle, *scan.record_of(number)) for number in numbers]
    return con.execute(
        """
        insert into raw._parse_rejects
        with raw_texts as (
            select unnest(?::bigint[]) as line, unnest(?::varchar[]) as raw_record
        )
        select ?, ?, ?, line,
               'malformed CSV record at line ' || line || ': ' || min(error_message),
               any_value(raw_texts.raw_record)
        from _civcas_rejects
        inner join raw_texts using (line)
        group by line
        """,
        [numbers, texts, load_id, source, source_file],
    ).fetchone()[0]


def _read_range(handle, start: int, end: int) -> str:
    handle.seek(start)
    return handle.read(end - start).decode("utf-8", errors="replace").rstrip("\r\n")


def _first_reject_hint(con: duckdb.DuckDBPyConnection, scan: RecordScan, load_id: str) -> str:
    first = con.execute(
        "select min(row_number) from raw._parse_rejects where load_id = ?", [load_id]
    ).fetchone()[0]
    if first is None:
        return "Look for a stray quote."
    return (
        f"The first record it could not read starts on line {int(scan.start_lines[first - 1])}:"
        " look for a stray quote there."
    )
