"""What both kinds of source share: one asset per raw table, and what a landing reports."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

import dagster as dg
import duckdb

from ingestion.landing import LoadResult
from orchestration.defs.table_metadata import table_metadata


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def landing_step(source: str) -> str:
    """The name of the asset (and step) landing one source."""
    return f"land_{source}"


def raw_group(source: str) -> str:
    """The asset group of one source's raw tables."""
    return f"raw_{source}"


def sources_selection(sources: Iterable[ModuleType]) -> dg.AssetSelection:
    """The raw assets of these sources (by their groups: the assets are built by components)."""
    return dg.AssetSelection.groups(*(raw_group(source.SOURCE) for source in sources))


def raw_table_specs(
    source: ModuleType, partitions_def: dg.PartitionsDefinition | None = None
) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            raw_asset_key(table),
            group_name=raw_group(source.SOURCE),
            kinds={"duckdb"},
            partitions_def=partitions_def,
            description=f"{source.SOURCE} as received: raw.{table}",
        )
        for table in source.RAW_TABLES
    ]


def landed_metadata(results: list[LoadResult], unit: str, unchanged: str) -> dict:
    """`<unit>_landed`, `<unit>_<unchanged>`, `<unit>_not_landed` (refused, or not data), rows
    landed, and every load's summary and id."""
    landed = [result for result in results if not result.skipped]
    refused = [result for result in results if result.not_landed]
    return {
        f"{unit}_landed": len(landed),
        f"{unit}_{unchanged}": len(results) - len(landed) - len(refused),
        f"{unit}_not_landed": len(refused),
        "rows_landed": sum(result.rows_in for result in landed),
        "loads": dg.MetadataValue.json([result.summary for result in results]),
        "load_ids": dg.MetadataValue.json([result.load_id for result in landed]),
    }


def raw_tables_metadata(con: duckdb.DuckDBPyConnection, source: ModuleType) -> dict:
    """Row count and column schema of each raw table of the source, by table name."""
    found = table_metadata(con, [("raw", table) for table in source.RAW_TABLES])
    return {table: found.get(("raw", table), {}) for table in source.RAW_TABLES}


def materialize_every_table(source: ModuleType, metadata: dict, per_table: dict | None = None):
    for table in source.RAW_TABLES:
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(table),
            metadata={**metadata, **(per_table or {}).get(table, {})},
        )


def registered_source(name: str, sources: Iterable[ModuleType], listed_in: str) -> ModuleType:
    """The source module a defs.yaml names; a name not registered is an error naming the list."""
    by_name = {source.SOURCE: source for source in sources}
    if name not in by_name:
        raise ValueError(
            f"source {name!r} is not in ingestion/registry.py's {listed_in}"
            f" (known: {', '.join(sorted(by_name))})"
        )
    return by_name[name]
