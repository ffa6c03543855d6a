"""The record of every publish: which run, when (UTC), which release, and what it held.

Each publish appends one JSON line to `Settings.publish_log` (beside the releases), under the
builds lock, after its release is in place. The log outlives the releases that retention removes,
so `civcas status` and `civcas sql --as-of` can still name what was published then. A release is
named `<UTC time>-<run id>` (RELEASE_TIME_FORMAT): its name sorts by time and says both.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

# Inside the warehouse, every build carries the publishes before it (civcas.inputs writes the
# row of its own): what dbt's history models read (stg_civcas__publishes).
INPUTS_TABLE = "audit.published_inputs"
RELEASE_TIME_FORMAT = "%Y%m%dT%H%M%S%fZ"
# What a publish records it held: the row count of every table analysts read.
RECORDED_SCHEMAS = ("marts", "reporting")


@dataclass(frozen=True)
class Publish:
    run_id: str
    published_at: datetime  # UTC, aware
    release: str  # folder name under Settings.releases_dir
    tables: dict[str, int]  # "schema.table" -> rows


def release_name(published_at: datetime, run_id: str) -> str:
    return f"{published_at.astimezone(UTC):{RELEASE_TIME_FORMAT}}-{run_id}"


def release_time(name: str) -> datetime:
    """The UTC time a release was published, read from its name."""
    stamp = name.split("-", 1)[0]
    return datetime.strptime(stamp, RELEASE_TIME_FORMAT).replace(tzinfo=UTC)


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of every table analysts read, from DuckDB's catalog (exact for a checkpointed file)."""
    schemas = ", ".join(f"'{schema}'" for schema in RECORDED_SCHEMAS)
    return {
        f"{schema}.{table}": rows
        for schema, table, rows in con.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables()"
            f" where schema_name in ({schemas}) order by all"
        ).fetchall()
    }


def append(log: Path, publish: Publish) -> None:
    line = json.dumps(
        {
            "run_id": publish.run_id,
            "published_at": publish.published_at.astimezone(UTC).isoformat(),
            "release": publish.release,
            "tables": publish.tables,
        }
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read(log: Path) -> list[Publish]:
    """Every publish recorded, oldest first; a line cut short by a crash is skipped."""
    if not log.exists():
        return []
    publishes = []
    for line in log.read_text().splitlines():
        try:
            entry = json.loads(line)
            publishes.append(
                Publish(
                    run_id=entry["run_id"],
                    published_at=datetime.fromisoformat(entry["published_at"]),
                    release=entry["release"],
                    tables={name: int(rows) for name, rows in entry["tables"].items()},
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return sorted(publishes, key=lambda publish: publish.published_at)


def ensure_inputs_table(con: duckdb.DuckDBPyConnection) -> None:
    """The record of every publish inside the warehouse, created with every build: dbt reads it
    before the build's own publish is recorded."""
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {INPUTS_TABLE} (
            run_id varchar not null,
            published_at timestamptz not null,
            landing_fingerprint varchar,
            code_fingerprint varchar not null
        )"""
    )
