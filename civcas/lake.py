"""The warehouse as a DuckLake: catalog in PostgreSQL, Parquet data in a folder or an S3 bucket.

A run builds exactly as in file mode, in a DuckDB file of its own (landing, dbt, the checks), which
starts as a copy of the lake's current state. Only a validated build reaches the lake: publishing
replaces the lake's schemas with the build's in ONE DuckLake transaction, that is one snapshot,
whose commit message is `publish` and whose extra info records the run id. A failed run never
writes to the lake, so readers keep their answers and the next run copies the published state.

The lake is attached under the catalog name `civcas`, the name the build file gives its own
catalog (`civcas.duckdb`): dbt binds view SQL to that name, so views stay valid in the lake.
Extensions load from the PyPI wheels pinned beside DuckDB (never `INSTALL`, which downloads).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from civcas.identifiers import quoted
from civcas.settings import DUCKDB_CONFIG, Lake

CATALOG = "civcas"
PUBLISH_MESSAGE = "publish"
PUBLISH_AUTHOR = "civcas"
# Publishes of different runs may overlap with compaction; DuckLake retries a conflicting commit
# this many times (its default of 10 let 6 of 60 concurrent commits fail: duckdb/ducklake#1283).
MAX_RETRY_COUNT = 100
# The wheels' package names, and the name DuckDB loads each extension by.
EXTENSION_WHEELS = {
    "postgres_scanner": "duckdb_extension_postgres",
    "ducklake": "duckdb_extension_ducklake",
    "httpfs": "duckdb_extension_httpfs",
}
# The key of every landed row (ingestion: `_load_id`, `_row_number`).
LANDING_KEY = ("_load_id", "_row_number")
# Schemas a build holds and publishing copies; DuckDB's own `main` is left alone.
SKIPPED_SCHEMAS = ("main", "information_schema", "pg_catalog")


class LakeError(RuntimeError):
    """The lake cannot be reached or holds nothing published; the message says which."""


class LakePublishConflict(RuntimeError):
    """Another run published since this build was copied from the lake."""


@dataclass(frozen=True)
class Publish:
    snapshot_id: int
    published_at: datetime
    run_id: str


@functools.cache
def extension_directory() -> Path:
    """A folder in DuckDB's extension layout whose files are links to the wheels' binaries.

    The wheels ship `extensions/v<version>/<name>.duckdb_extension` without the platform level
    DuckDB expects, and name the postgres binary `postgres` where DuckDB loads `postgres_scanner`.
    """
    version = f"v{duckdb.__version__}"
    probe = duckdb.connect()  # its own connection: the module's default one is not thread-safe
    try:
        platform = probe.execute("pragma platform").fetchone()[0]
    finally:
        probe.close()
    root = Path(sys.prefix) / "share" / "civcas-duckdb-extensions"
    folder = root / version / platform
    folder.mkdir(parents=True, exist_ok=True)
    for name, package in EXTENSION_WHEELS.items():
        link = folder / f"{name}.duckdb_extension"
        if not link.exists():
            module = importlib.import_module(package)
            built = next(Path(module.__path__[0]).glob(f"extensions/{version}/*.duckdb_extension"))
            tmp = link.with_suffix(f".{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(built)
            os.replace(tmp, link)
    return root


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _prepare(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    for name in EXTENSION_WHEELS:
        con.execute(f"load {name}")
    if lake.data_path.startswith("s3://"):
        options = [
            "type s3",
            f"key_id {sql_literal(lake.s3_key_id)}",
            f"secret {sql_literal(lake.s3_secret)}",
            f"region {sql_literal(lake.s3_region)}",
        ]
        if lake.s3_endpoint:
            endpoint = lake.s3_endpoint.split("://", 1)[-1].rstrip("/")
            options += [
                f"endpoint {sql_literal(endpoint)}",
                "url_style 'path'",
                f"use_ssl {str(lake.s3_endpoint.startswith('https://')).lower()}",
            ]
        try:
            con.execute(f"create or replace temporary secret civcas_lake ({', '.join(options)})")
        except duckdb.Error:  # the statement holds the keys: never let it into an error
            raise LakeError("could not set up the S3 credentials of CIVCAS_LAKE_DATA") from None


def connect(
    lake: Lake,
    *,
    read_only: bool = True,
    snapshot: int | None = None,
    config: dict | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB session with the lake attached as `civcas` (the current catalog): read-only at
    its latest snapshot, or at `snapshot`, or read-write for a publish. `config` replaces the
    DuckDB settings of civcas.settings."""
    config = {
        **(DUCKDB_CONFIG if config is None else config),
        "extension_directory": str(extension_directory()),
    }
    con = duckdb.connect(config=config)
    try:
        _prepare(con, lake)
        _attach(con, lake, read_only=read_only, snapshot=snapshot)
    except BaseException:
        con.close()
        raise
    return con


def _attach(con, lake: Lake, *, read_only: bool, snapshot: int | None) -> None:
    options = [f"data_path {sql_literal(lake.data_path)}"]
    if read_only:
        options.append("read_only")
    if snapshot is not None:
        options.append(f"snapshot_version {int(snapshot)}")
    try:
        con.execute(
            f"attach {sql_literal('ducklake:postgres:' + lake.catalog)} as {CATALOG}"
            f" ({', '.join(options)})"
        )
    except duckdb.Error as error:
        raise LakeError(
            f"cannot open the lake (catalog {lake.catalog!r}, data {lake.data_path}):"
            f" {str(error).splitlines()[0]}"
        ) from None
    con.execute(f"use {CATALOG}")
    if not read_only:
        con.execute(f"set ducklake_max_retry_count = {MAX_RETRY_COUNT}")


def publishes(con: duckdb.DuckDBPyConnection) -> list[Publish]:
    """Every publish the lake records, oldest first."""
    rows = con.execute(
        "select snapshot_id, snapshot_time, commit_extra_info"
        f" from ducklake_snapshots({sql_literal(CATALOG)})"
        " where commit_message = ? order by snapshot_id",
        [PUBLISH_MESSAGE],
    ).fetchall()
    return [
        Publish(snapshot, at.astimezone(UTC), json.loads(extra)["run_id"])
        for snapshot, at, extra in rows
    ]


def latest_publish(lake: Lake) -> Publish | None:
    con = connect(lake)
    try:
        found = publishes(con)
    finally:
        con.close()
    return found[-1] if found else None


def _relations(con, catalog: str) -> tuple[list[str], list[tuple[str, str]], list[tuple]]:
    """Schemas, tables (schema, name) and view definitions of `catalog`, skipping DuckDB's own."""
    skipped = list(SKIPPED_SCHEMAS)
    schemas = [
        row[0]
        for row in con.execute(
            "select schema_name from duckdb_schemas() where database_name = ?"
            " and not list_contains(?, schema_name) order by 1",
            [catalog, skipped],
        ).fetchall()
    ]
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?"
        " and not list_contains(?, schema_name) order by 1, 2",
        [catalog, skipped],
    ).fetchall()
    views = con.execute(
        "select schema_name, view_name, sql from duckdb_views() where database_name = ?"
        " and not internal and not list_contains(?, schema_name) order by 1, 2",
        [catalog, skipped],
    ).fetchall()
    return schemas, tables, views


def _copy(con, source: str, target: str, synced: frozenset = frozenset()) -> None:
    """Every schema, table and view of catalog `source` into catalog `target` (set-wise: one
    `create table as` per table), except the `synced` tables, already there. Views are created
    from their own SQL, which names `civcas`."""
    schemas, tables, views = _relations(con, source)
    for schema in schemas:
        con.execute(f"create schema if not exists {quoted(target, schema)}")
    for schema, table in tables:
        if (schema, table) not in synced:
            con.execute(
                f"create table {quoted(target, schema, table)}"
                f" as from {quoted(source, schema, table)}"
            )
    con.execute(f"use {target}")
    for _schema, _name, sql in views:
        con.execute(sql)


def _columns(con, catalog: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ?"
        " and schema_name = ? and table_name = ? order by column_index",
        [catalog, schema, table],
    ).fetchall()


def _landed_tables(con) -> frozenset:
    """The build's tables a publish updates in place: raw tables (keyed by their landing key)
    whose columns the lake's table has too. Landed rows never change, so the lake keeps the
    Parquet files it holds and a publish writes only what was landed since; every other table
    is written again whole."""
    _schemas, lake_tables, _views = _relations(con, CATALOG)
    found = set()
    for schema, table in set(_relations(con, "build")[1]) & set(lake_tables):
        columns = _columns(con, "build", schema, table)
        names = {name for name, _type in columns}
        if set(LANDING_KEY) <= names and columns == _columns(con, CATALOG, schema, table):
            found.add((schema, table))
    return frozenset(found)


def _sync_landed(con, schema: str, table: str) -> None:
    """The lake's table made equal to the build's by the landing key: rows the build no longer
    holds (a month an API source replaced) deleted, rows landed since inserted."""
    lake_table, build_table = quoted(CATALOG, schema, table), quoted("build", schema, table)
    same = " and ".join(f"b.{key} = l.{key}" for key in LANDING_KEY)
    con.execute(
        f"delete from {lake_table} l where not exists (select 1 from {build_table} b where {same})"
    )
    con.execute(
        f"insert into {lake_table} select * from {build_table} b"
        f" where not exists (select 1 from {lake_table} l where {same})"
    )


def copy_published_into(lake: Lake, build: Path) -> int | None:
    """Fill the new build file at `build` with the lake's latest published state; return the
    snapshot copied (None: nothing published yet, the build starts empty). Attached read-write
    only so that DuckLake creates its catalog tables on first use; nothing is written."""
    con = connect(lake, read_only=False)
    try:
        found = publishes(con)
        if not found:
            return None
        con.execute(f"use memory; detach {CATALOG}")
        _attach(con, lake, read_only=True, snapshot=found[-1].snapshot_id)
        con.execute(f"attach {sql_literal(str(build))} as build")
        # The copied views name `civcas`: in the build file that is the build itself.
        _copy(con, CATALOG, "build")
        return found[-1].snapshot_id
    finally:
        con.close()


def publish(lake: Lake, build: Path, run_id: str, base: int | None) -> Publish:
    """Replace the lake's contents with the build's in one DuckLake transaction (one snapshot,
    recorded with the run id). Refuses when another run published since `base` was copied."""
    con = connect(lake, read_only=False)
    try:
        con.execute(f"attach {sql_literal(str(build))} as build (read_only)")
        con.execute("begin")
        found = publishes(con)
        current = found[-1].snapshot_id if found else None
        if current != base:
            con.execute("rollback")
            raise LakePublishConflict(
                f"another run published to the lake (snapshot {current}) after this build copied"
                f" snapshot {base}; nothing was published: run again to build on the newer state"
            )
        _schemas, tables, views = _relations(con, CATALOG)
        landed = _landed_tables(con)
        try:
            for schema, view, _sql in views:  # views first: they depend on tables
                con.execute(f"drop view {quoted(CATALOG, schema, view)}")
            for schema, table in tables:
                if (schema, table) in landed:
                    _sync_landed(con, schema, table)
                else:
                    con.execute(f"drop table {quoted(CATALOG, schema, table)}")
            _copy(con, "build", CATALOG, synced=landed)
            extra = json.dumps({"run_id": run_id})
            con.execute(
                f"call {CATALOG}.set_commit_message(?, ?, extra_info => ?)",
                [PUBLISH_AUTHOR, PUBLISH_MESSAGE, extra],
            )
            con.execute("commit")
        except duckdb.TransactionException as error:  # DuckLake's conflict check at commit
            raise LakePublishConflict(
                "another run published to the lake while this one did; nothing was published:"
                f" run again to build on the newer state ({str(error).splitlines()[0]})"
            ) from None
        return publishes(con)[-1]
    finally:
        con.close()


def maintain(lake: Lake, *, grace_days: int = 1) -> dict[str, int]:
    """Compaction and expiry: merge small Parquet files (time travel unaffected), expire the
    snapshots older than the lake's `keep_days` (`--as-of` cannot reach before them), and delete
    the files only expired snapshots used, once scheduled for deletion more than `grace_days`
    ago (a reader may still be scanning them). Returns how many rows each step reported."""
    con = connect(lake, read_only=False)
    try:
        merged = con.execute(
            f"call ducklake_merge_adjacent_files({sql_literal(CATALOG)})"
        ).fetchall()
        expired = con.execute(
            f"call ducklake_expire_snapshots({sql_literal(CATALOG)},"
            f" older_than => now() - to_days({int(lake.keep_days)}))"
        ).fetchall()
        removed = con.execute(
            f"call ducklake_cleanup_old_files({sql_literal(CATALOG)},"
            f" older_than => now() - to_days({int(grace_days)}))"
        ).fetchall()
    finally:
        con.close()
    return {"merged": len(merged), "snapshots_expired": len(expired), "files_removed": len(removed)}


def main(argv: list[str] | None = None) -> int:
    """`python -m civcas.lake import FILE`: a published file warehouse as the lake's first
    publish; `python -m civcas.lake maintain`: what the maintenance schedule runs."""
    import argparse

    from civcas.lake_writer import WriterLock
    from civcas.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m civcas.lake")
    commands = parser.add_subparsers(dest="command", required=True)
    importing = commands.add_parser("import", help="publish a file warehouse into an empty lake")
    importing.add_argument("file", type=Path)
    commands.add_parser("maintain", help="compaction, snapshot expiry and file cleanup")
    args = parser.parse_args(argv)
    lake = load_settings().lake
    if lake is None:
        print("civcas lake: CIVCAS_LAKE_CATALOG is not set", file=sys.stderr)
        return 2
    try:
        if args.command == "maintain":
            print(f"civcas lake: maintained: {maintain(lake)}")
            return 0
        # A run id as Dagster's are (a UUID), so that `--as-of` and `civcas status` name it alike.
        run_id = str(uuid.uuid4())
        writer = WriterLock(lake, run_id).acquire()
        try:
            done = publish(lake, args.file.resolve(), run_id, None)
        finally:
            writer.release()
    except (LakeError, LakePublishConflict) as error:
        print(f"civcas lake: {error}", file=sys.stderr)
        return 1
    print(f"civcas lake: {args.file} published as snapshot {done.snapshot_id} (run {done.run_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
