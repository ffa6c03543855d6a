"""Every source the warehouse knows. A build gets all their raw tables, even before a first load,
so that the dbt models of a source that was never landed (say, an API without credentials) still
build, empty."""

from __future__ import annotations

import duckdb

from ingestion import acled, airwars, http, ledger, ucdp
from ingestion.landing import ensure_load_log

FILE_DROP_SOURCES = (airwars, ledger)
API_SOURCES = (ucdp, acled)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_load_log(con)
    for source in FILE_DROP_SOURCES:
        source.ensure_raw_tables(con)
    for source in API_SOURCES:
        http.ensure_raw_tables(con, source.RAW_TABLES[0], source.COLUMNS)
