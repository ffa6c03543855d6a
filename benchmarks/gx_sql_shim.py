"""Option B, kept for comparison only: GX's SQL datasource on DuckDB through duckdb-engine.

Two things have to be worked around with great-expectations 1.24.1, SQLAlchemy 2.1 and
duckdb-engine 0.17:

1. SqlAlchemyExecutionEngine.execute_query returns a CursorResult after leaving
   `with engine.connect()`, so the connection is closed (and rolled back) before GX fetches,
   and DuckDB hands back no rows: every metric fails with "IndexError: list index out of range"
   (great_expectations issues #10738, #11579). The shim adds DuckDB to GX's private list of
   dialects that keep one persistent connection, as it does for SQLite.
2. duckdb-engine's table reflection issues PostgreSQL catalogue queries that DuckDB rejects
   under SQLAlchemy 2.1, and GX's fallback drops the schema name. So tables are read through
   query assets (`SELECT * FROM schema.table`), never table assets.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from expectations.gx_adapter import RESULT_FORMAT, build_expectation, make_context, summarise
from expectations.results import ExpectationResult
from expectations.suites import Suite


class _ShimDialect(enum.StrEnum):
    DUCKDB = "duckdb"


def install_duckdb_shim() -> None:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    if _ShimDialect.DUCKDB not in engine._PERSISTED_CONNECTION_DIALECTS:
        engine._PERSISTED_CONNECTION_DIALECTS = (
            *engine._PERSISTED_CONNECTION_DIALECTS,
            _ShimDialect.DUCKDB,
        )


def run_suites_sql(
    db_path: str | Path, suites: Sequence[Suite], run_id: str, data_docs_dir: Path | None = None
) -> list[ExpectationResult]:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    install_duckdb_shim()
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    context = make_context(data_docs_dir)
    datasource = context.data_sources.add_sql(
        "civcas_duckdb_sql",
        connection_string=f"duckdb:///{Path(db_path).resolve()}",
        kwargs={"connect_args": {"read_only": True}},
    )
    results: list[ExpectationResult] = []
    for suite in suites:
        gx_suite = context.suites.add(
            gx.ExpectationSuite(
                name=suite.name,
                expectations=[build_expectation(suite, s) for s in suite.expectations],
            )
        )
        asset = datasource.add_query_asset(name=suite.name, query=suite.source_sql)
        batch_definition = asset.add_batch_definition_whole_table(suite.name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
        )
        outcome = definition.run(
            result_format=RESULT_FORMAT,
            run_id=RunIdentifier(run_name=run_id, run_time=checked_at),
        )
        by_name = {r.expectation_config.meta["name"]: r for r in outcome.results}
        for spec in suite.expectations:
            success, count, observed = summarise(by_name[spec.name])
            results.append(
                ExpectationResult(
                    run_id=run_id,
                    checked_at=checked_at,
                    suite=suite.name,
                    expectation=spec.name,
                    table_name=suite.table_name,
                    severity=spec.severity,
                    success=success,
                    unexpected_count=count,
                    observed_value=observed,
                )
            )
    if data_docs_dir is not None:
        context.build_data_docs()
    return results
