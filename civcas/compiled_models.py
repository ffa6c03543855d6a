"""dbt models evaluated outside a build: their compiled SQL (from the manifest) created as views
in a DuckDB connection, over the seeds they read, loaded from their CSV files. `civcas ledger
check` runs the ledger's own models this way on files landed in memory, so that every rule of
the pipeline has one home: its dbt model."""

from __future__ import annotations

from graphlib import TopologicalSorter
from typing import Any

import duckdb

from civcas.dbt_manifest import read_manifest
from civcas.identifiers import quoted
from civcas.settings import DBT_PROJECT_DIR
from ingestion.landing import literal_path


def catalog_connection(manifest: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose catalog has the name the compiled SQL qualifies relations with
    (a build's, named after the warehouse file)."""
    manifest = manifest or read_manifest()
    catalog = next(
        node["database"] for node in manifest["nodes"].values() if node["resource_type"] == "model"
    )
    con = duckdb.connect()
    if catalog != "memory":
        con.execute(f"attach ':memory:' as {quoted(catalog)}")
        con.execute(f"use {quoted(catalog)}")
    return con


def create_compiled_models(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any] | None = None):
    """Create every model the manifest holds compiled SQL for, as a view of the same schema and
    name, and every seed those models read, as a table. The models' sources must exist."""
    manifest = manifest or read_manifest()
    nodes = manifest["nodes"]
    models = {
        unique_id: node
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model" and node.get("compiled_code")
    }
    parents = {
        unique_id: [parent for parent in node["depends_on"]["nodes"] if parent in nodes]
        for unique_id, node in models.items()
    }
    seeds = {parent for found in parents.values() for parent in found if parent.startswith("seed.")}
    for unique_id in sorted(seeds):
        _create_seed(con, nodes[unique_id])
    for unique_id in TopologicalSorter(parents).static_order():
        if unique_id not in models:
            continue
        node = models[unique_id]
        con.execute(f"create schema if not exists {quoted(node['schema'])}")
        con.execute(
            f"create or replace view {quoted(node['schema'], node['alias'])} as"
            f" {node['compiled_code']}"
        )


def _create_seed(con: duckdb.DuckDBPyConnection, node: dict[str, Any]) -> None:
    path = DBT_PROJECT_DIR / node["original_file_path"]
    types = node["config"].get("column_types") or {}
    typed = ", ".join(f"'{column}': '{kind}'" for column, kind in types.items())
    con.execute(f"create schema if not exists {quoted(node['schema'])}")
    con.execute(
        f"create or replace table {quoted(node['schema'], node['alias'])} as"
        f" select * from read_csv(?, header = true{f', types = {{{typed}}}' if typed else ''})",
        [literal_path(path)],  # a checkout under `…/repo[1]/` reads its own seeds
    )
