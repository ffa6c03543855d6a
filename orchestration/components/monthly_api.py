"""The component of a monthly API source (`ingestion.registry.MONTHLY_API_SOURCES`): its raw
tables as month-partitioned assets. A source is one `defs.yaml` under
`orchestration/defs/sources/<source>/`:

    type: orchestration.components.monthly_api.MonthlyApiSource
    attributes:
      source: ucdp

Their job and daily schedule, shared by every API source, are in
`orchestration/defs/sources/api_months.py`.

One partition = one event month (`2017-03-01` is March 2017). A run over a range of months executes
the landing asset once for the whole range (BackfillPolicy.single_run), so a backfill of 2017-01 to
2017-12 in the Dagster UI is one run, one dbt build and one publish. The dbt models and the
published warehouse stay unpartitioned: they are rebuilt from everything landed.
"""

from types import ModuleType

import dagster as dg

from ingestion.http import ApiError, new_session
from ingestion.registry import MONTHLY_API_SOURCES
from orchestration.components.raw_tables import (
    landed_metadata,
    landing_step,
    materialize_every_table,
    raw_table_specs,
    raw_tables_metadata,
    registered_source,
)
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource

FIRST_MONTH = "2011-01-01"  # conflict reporting for Syria and Iraq starts in 2011
# end_offset=1: the month in progress is a partition too (the schedule refreshes it daily).
MONTHS = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH, end_offset=1)


def partition_key(month: str) -> str:
    """'2017-03' -> '2017-03-01', the key of that month's partition."""
    return f"{month[:7]}-01"


def monthly_api_assets(source: ModuleType) -> dg.AssetsDefinition:
    """Fetch and land the requested months of one API source."""

    @dg.multi_asset(
        name=landing_step(source.SOURCE),
        specs=raw_table_specs(source, MONTHS),
        pool=WAREHOUSE_POOL,
        backfill_policy=dg.BackfillPolicy.single_run(),
        description=source.__doc__,
    )
    def land(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        months = [key[:7] for key in context.partition_keys]
        config = source.config_from_env()
        if config is None:
            message = source.skip_message()
            context.log.warning(message)
            yield from materialize_every_table(
                source,
                {"skipped": message, "months": months, "rows_landed": 0,
                 "loads": dg.MetadataValue.json([message]),
                 "load_ids": dg.MetadataValue.json([])},
            )  # fmt: skip
            return
        session = new_session()
        results, replaced, failures = [], 0, []
        try:
            with warehouse.connect() as con:
                for month in months:
                    try:
                        month_results, month_replaced = source.land_month(
                            con,
                            session,
                            config,
                            month,
                            warehouse.settings.api_pages_dir,
                            log=context.log.info,
                        )
                    except ApiError as error:
                        context.log.error(str(error))
                        failures.append(str(error))
                        continue
                    results += month_results
                    replaced += month_replaced
                    landed = sum(result.rows_in for result in month_results if not result.skipped)
                    state = (
                        "unchanged since the last fetch"
                        if all(r.skipped for r in month_results)
                        else (f"{landed} rows landed from {len(month_results)} page(s)")
                    )
                    context.log.info(
                        f"{source.SOURCE} {month}: {state}; {month_replaced} earlier rows replaced"
                    )
                if source.land_deletions is not None and not failures:
                    try:
                        deleted, _ = source.land_deletions(
                            con, session, config, warehouse.settings.api_pages_dir,
                            log=context.log.info,
                        )  # fmt: skip
                    except ApiError as error:
                        context.log.error(str(error))
                        failures.append(str(error))
                    else:
                        results += deleted
                        context.log.info(
                            f"{source.SOURCE} deletions: "
                            f"{sum(r.rows_in for r in deleted if not r.skipped)} rows landed"
                        )
                per_table = raw_tables_metadata(con, source)
        finally:
            session.close()
        if failures:
            raise dg.Failure(
                description="; ".join(failures), metadata={"months_failed": len(failures)}
            )
        metadata = landed_metadata(results, "pages", "unchanged")
        yield from materialize_every_table(
            source, {"months": months, **metadata, "rows_replaced": replaced}, per_table
        )

    return land


class MonthlyApiSource(dg.Component, dg.Model, dg.Resolvable):
    """A source fetched from an API by event month: its raw tables as month-partitioned assets."""

    source: str  # a name of ingestion.registry.MONTHLY_API_SOURCES

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        module = registered_source(self.source, MONTHLY_API_SOURCES, "MONTHLY_API_SOURCES")
        return dg.Definitions(assets=[monthly_api_assets(module)])
