"""The published warehouse, for reading: the one way every reader opens it, in both modes.

In file mode it is the published DuckDB file, opened read-only; in lake mode (CIVCAS_LAKE_CATALOG)
the lake attached read-only at its latest snapshot, or at the publish an `as_of` names
(civcas.as_of: a date, a UTC time or a run id; in file mode the release kept from then).
`civcas sql`, `civcas status`, the report and exports all go through
`open_published`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from civcas import lake as lakes
from civcas import publish_log
from civcas.as_of import kept_release, parse_when, publish_at, release_file
from civcas.settings import DUCKDB_CONFIG, Settings
from civcas.warehouse import spill_folder

# A publish `--as-of` resolved to: a file's release, or a lake's snapshot.
AsOf = publish_log.Publish | lakes.Publish


class NothingPublished(RuntimeError):
    """No warehouse has been published where the settings point."""


@dataclass(frozen=True)
class Release:
    """What readers see now: where, since when, and (lake mode) by which run."""

    where: str
    published_at: datetime
    run_id: str | None = None
    snapshot_id: int | None = None


def describe(settings: Settings) -> str:
    if settings.lake is None:
        return str(settings.warehouse)
    return f"the lake (catalog {settings.lake.catalog!r}, data {settings.lake.data_path})"


def current_release(settings: Settings) -> Release:
    """The release readers open now; NothingPublished when there is none yet."""
    if settings.lake is None:
        if not settings.warehouse.exists():
            raise NothingPublished(f"nothing published yet at {settings.warehouse}")
        mtime = settings.warehouse.stat().st_mtime
        return Release(str(settings.warehouse), datetime.fromtimestamp(mtime, UTC))
    publish = lakes.latest_publish(settings.lake)
    if publish is None:
        raise NothingPublished(f"nothing published yet in {describe(settings)}")
    return Release(describe(settings), publish.published_at, publish.run_id, publish.snapshot_id)


def open_published(
    settings: Settings,
    *,
    config: dict | None = None,
    as_of: str | None = None,
    publish: AsOf | None = None,
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to what analysts see, in which the warehouse is the current
    catalog: the latest publish, or the publish `as_of` names (civcas.as_of raises AsOfError when
    it cannot say), or `publish`, one `publish_as_of` already resolved (opened as it is, so that
    what a caller printed about it is what it reads). `config` replaces the DuckDB settings of
    civcas.settings."""
    config = dict(DUCKDB_CONFIG if config is None else config)
    if as_of is not None:
        publish = publish_as_of(settings, as_of)
    if settings.lake is None:
        path = settings.warehouse
        if publish is not None:
            path = kept_release(settings, publish, as_of or publish.run_id)
        if not path.exists():
            raise NothingPublished(f"nothing published yet at {path}")
        return duckdb.connect(str(path), read_only=True, config=config)
    snapshot = None if publish is None else publish.snapshot_id
    con = lakes.connect(settings.lake, config=config, snapshot=snapshot)
    if publish is None and not lakes.publishes(con):
        con.close()
        raise NothingPublished(f"nothing published yet in {describe(settings)}")
    return con


def allowed_directories(settings: Settings) -> list[str]:
    """What a locked-down reader must still reach: the lake's data (nothing in file mode)."""
    return [] if settings.lake is None else [settings.lake.data_path]


@contextmanager
def reading(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """`open_published`, spilling under the build folder (civcas.warehouse.spill_folder) rather
    than DuckDB's default `<file>.tmp` beside the published file, on the disk a publish needs."""
    with spill_folder(settings.builds_dir) as temp:
        config = {**DUCKDB_CONFIG, "temp_directory": str(temp)}
        con = open_published(settings, config=config)
        try:
            yield con
        finally:
            con.close()


def publish_as_of(settings: Settings, as_of: str) -> AsOf:
    """The publish readers saw at `as_of` (its `published_at` and `run_id`); AsOfError when
    there is none (in file mode, also when its release is no longer kept)."""
    when = parse_when(as_of)
    if settings.lake is None:
        return release_file(settings, when)[1]
    con = lakes.connect(settings.lake)
    try:
        return publish_at(lakes.publishes(con), when)
    finally:
        con.close()
