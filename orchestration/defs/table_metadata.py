"""`dagster/row_count` and `dagster/column_schema` of warehouse relations, read set-wise from one
connection to this run's build (DuckDB has one writer: read after dbt's process has ended)."""

from __future__ import annotations

import dagster as dg
import duckdb

from civcas.identifiers import quoted


def table_metadata(
    con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]
) -> dict[tuple[str, str], dict]:
    """Column schema of every relation; row count of tables (a view's count would run it)."""
    wanted = [f"{schema}.{name}" for schema, name in relations]
    columns: dict[tuple[str, str], list[dg.TableColumn]] = {}
    for schema, name, column, data_type in con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
        " where list_contains(?, table_schema || '.' || table_name)"
        " order by table_schema, table_name, ordinal_position",
        [wanted],
    ).fetchall():
        columns.setdefault((schema, name), []).append(dg.TableColumn(column, data_type))
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_type = 'BASE TABLE' and list_contains(?, table_schema || '.' || table_name)",
        [wanted],
    ).fetchall()
    counts = {}
    if tables:
        counts = {
            (schema, name): rows
            for schema, name, rows in con.execute(
                " union all ".join(
                    f"select '{schema}', '{name}', count(*) from {quoted(schema, name)}"
                    for schema, name in tables
                )
            ).fetchall()
        }
    out: dict[tuple[str, str], dict] = {}
    for relation, schema_columns in columns.items():
        out[relation] = {"dagster/column_schema": dg.TableSchema(columns=schema_columns)}
        if relation in counts:
            out[relation]["dagster/row_count"] = dg.MetadataValue.int(counts[relation])
    return out
