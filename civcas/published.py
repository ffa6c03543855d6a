"""The published warehouse, for reading: the one way every reader opens it, in both modes.

In file mode it is the published DuckDB file, opened read-only; in lake mode (CIVCAS_LAKE_CATALOG)
the lake attached read-only at its latest snapshot, or at the publish an `as_of` names
(civcas.lake.publish_as_of). `civcas sql`, `civcas status`, the report and exports all go through
`open_published`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from civcas import lake as lakes
from civcas.settings import DUCKDB_CONFIG, Settings


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
    settings: Settings, *, config: dict | None = None, as_of: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to what analysts see (at `as_of`, lake mode only), in which the
    warehouse is the current catalog. `config` replaces the DuckDB settings of civcas.settings.
    """
    config = dict(DUCKDB_CONFIG if config is None else config)
    if settings.lake is None:
        if as_of is not None:
            raise NothingPublished("--as-of needs the lake here (civcas.as_of for a file)")
        if not settings.warehouse.exists():
            raise NothingPublished(f"nothing published yet at {settings.warehouse}")
        return duckdb.connect(str(settings.warehouse), read_only=True, config=config)
    if as_of is not None:
        con, _publish = lakes.open_as_of(settings.lake, as_of, config=config)
        return con
    con = lakes.connect(settings.lake, config=config)
    if not lakes.publishes(con):
        con.close()
        raise NothingPublished(f"nothing published yet in {describe(settings)}")
    return con


def allowed_directories(settings: Settings) -> list[str]:
    """What a locked-down reader must still reach: the lake's data (nothing in file mode)."""
    return [] if settings.lake is None else [settings.lake.data_path]
