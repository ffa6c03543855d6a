"""Every source the warehouse knows. A build gets all their raw tables, even before a first load,
so that the dbt models of a source that was never landed (say, an API without credentials) still
build, empty."""

from __future__ import annotations

import duckdb

from ingestion import airwars, ledger, ucdp_ged

ALL_SOURCES = (airwars, ledger, ucdp_ged)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    for source in ALL_SOURCES:
        source.ensure_raw_tables(con)
