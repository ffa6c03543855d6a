"""Raw landing assets (one per file-drop source) and the published warehouse."""

from types import ModuleType

import dagster as dg

from ingestion import airwars, ledger, ucdp_ged
from ingestion.landing import LandingError
from orchestration import validation
from orchestration.dbt_assets import WAREHOUSE_POOL, civcas_dbt_assets
from orchestration.resources import WarehouseResource

FILE_SOURCES: tuple[ModuleType, ...] = (airwars, ledger, ucdp_ged)


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def file_source_assets(source: ModuleType) -> dg.AssetsDefinition:
    """Land every new file of one file-drop source; each raw table is one asset."""

    @dg.multi_asset(
        name=f"land_{source.SOURCE}",
        specs=[
            dg.AssetSpec(
                raw_asset_key(table),
                group_name="raw",
                kinds={"duckdb"},
                description=f"{source.SOURCE} files as received: raw.{table}",
            )
            for table in source.RAW_TABLES
        ],
        pool=WAREHOUSE_POOL,
        description=source.__doc__,
    )
    def land(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        settings = warehouse.settings
        with warehouse.build_connection(context.run_id) as con:
            try:
                results = source.land(con, settings.landing_dir)
            except LandingError as error:
                raise dg.Failure(description=str(error)) from error
        for result in results:
            context.log.info(result.summary)
        landed = [result for result in results if not result.skipped]
        for table in source.RAW_TABLES:
            yield dg.MaterializeResult(
                asset_key=raw_asset_key(table),
                metadata={
                    "files_landed": len(landed),
                    "files_skipped": len(results) - len(landed),
                    "rows_landed": sum(result.rows_in for result in landed),
                    "loads": dg.MetadataValue.json([result.summary for result in results]),
                    "load_ids": dg.MetadataValue.json([result.load_id for result in landed]),
                },
            )

    return land


raw_assets = [file_source_assets(source) for source in FILE_SOURCES]


@dg.asset(
    key=dg.AssetKey(["published", "civcas_warehouse"]),
    group_name="published",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    deps=list(civcas_dbt_assets.keys),
    description=(
        "The published warehouse analysts open read-only. Replaced atomically by this run's build"
        " only when every error-level expectation passed."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    outcome = validation.ensure_validated(warehouse, context.run_id)
    if outcome.errors:
        raise dg.Failure(
            description="not published: " + "; ".join(outcome.error_messages),
            metadata={"failed_error_checks": len(outcome.errors)},
        )
    path = warehouse.publish(context.run_id)
    return dg.MaterializeResult(
        metadata={
            "path": str(path),
            "expectations_checked": len(outcome.results),
            "warnings": len(outcome.warnings),
        }
    )
