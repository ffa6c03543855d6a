"""Reading what a suite validates out of DuckDB: only the columns its expectations use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from civcas.identifiers import quoted
from civcas.settings import VALIDATION_DUCKDB_CONFIG
from expectations.suites import Suite

if TYPE_CHECKING:
    import pandas as pd


def connect_read_only(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"no DuckDB database at {path}")
    return duckdb.connect(str(path), read_only=True, config=dict(VALIDATION_DUCKDB_CONFIG))


# GX's pandas metrics take their vectorised paths only for int64/float64 columns; on int32 or
# on pandas' nullable Int32 (what DuckDB returns for INTEGER with NULLs) they call a Python
# function per row. DOUBLE arrives as float64 with NaN for NULL, exact for integers below 2**53.
_INTEGER_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
}  # fmt: skip


def frame_sql(con: duckdb.DuckDBPyConnection, suite: Suite) -> str:
    """The SELECT producing the suite's DataFrame. Raises duckdb.Error if the source fails."""
    described = con.execute(f"SELECT * FROM ({suite.source_sql}) LIMIT 0").description
    types = {d[0]: str(d[1]) for d in described}
    wanted = suite.columns()
    if wanted is None:
        columns = list(types)
    else:
        # A missing column is left for GX to report against the expectations that name it.
        # Row-count-only suites still need rows: they get the first column.
        columns = [c for c in wanted if c in types] or list(types)[:1]
    select = ", ".join(
        f"CAST({quoted(c)} AS DOUBLE) AS {quoted(c)}" if types[c] in _INTEGER_TYPES else quoted(c)
        for c in columns
    )
    return f"SELECT {select} FROM ({suite.source_sql}) AS suite_source"


def read_frame(con: duckdb.DuckDBPyConnection, suite: Suite) -> pd.DataFrame:
    return con.execute(frame_sql(con, suite)).df()
