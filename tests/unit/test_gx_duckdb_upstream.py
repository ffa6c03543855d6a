"""Tripwire: Great Expectations' SQL datasource still cannot read DuckDB.

expectations/ validates pandas DataFrames read from DuckDB because GX 1.x, over SQLAlchemy and
duckdb-engine, fetches query results after closing the connection and gets no rows
(great_expectations issues #10738 and #11579, closed unfixed). When this test fails, upstream
has changed: re-run benchmarks/gx_validation_1m.py and consider validating in SQL instead
(see docs/validation.md). Skipped where duckdb-engine is not installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("duckdb_engine")


def test_gx_sql_datasource_on_duckdb_still_returns_no_rows(tmp_path: Path):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    db = tmp_path / "t.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT i AS v FROM range(100) AS r(i)")

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql(
        "duck", connection_string=f"duckdb:///{db}", kwargs={"connect_args": {"read_only": True}}
    )
    batch = (
        source.add_query_asset("t", query="SELECT v FROM t")
        .add_batch_definition_whole_table("all")
        .get_batch()
    )
    result = batch.validate(gx.expectations.ExpectTableRowCountToEqual(value=100))

    messages = [
        str(info.get("exception_message"))
        for info in (result.exception_info or {}).values()
        if isinstance(info, dict)
    ]
    upstream_fixed = result.success and not messages
    assert not upstream_fixed, (
        "GX now validates DuckDB through SQLAlchemy: the workaround in expectations/ "
        "(pandas DataFrames) may no longer be needed; see docs/validation.md"
    )
    assert result.success is False
    assert any("list index out of range" in m for m in messages), messages
