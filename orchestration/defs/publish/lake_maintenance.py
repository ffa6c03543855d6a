"""Lake maintenance (lake mode only): compaction, snapshot expiry and file cleanup, weekly."""

import dagster as dg

from civcas import lake
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource, one_writer_executor


@dg.op(pool=WAREHOUSE_POOL)
def maintain_lake(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
    settings = warehouse.settings
    if settings.lake is None:
        context.log.info("file mode: there is no lake to maintain")
        return
    done = lake.maintain(settings.lake)
    context.log.info(f"lake maintained (kept {settings.lake.keep_days} days of publishes): {done}")


@dg.job(
    name="civcas_lake_maintenance",
    executor_def=one_writer_executor,
    description=(
        "Merge small Parquet files, expire snapshots older than CIVCAS_LAKE_KEEP_DAYS and delete"
        " the files only they used (civcas.lake.maintain)."
    ),
)
def lake_maintenance_job():
    maintain_lake()


@dg.schedule(
    name="civcas_lake_maintenance_weekly",
    job=lake_maintenance_job,
    cron_schedule="0 3 * * 0",
    execution_timezone="UTC",
    description="Lake maintenance every Sunday at 03:00 UTC; skipped in file mode.",
)
def lake_maintenance_schedule(context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource):
    if warehouse.settings.lake is None:
        return dg.SkipReason("file mode (CIVCAS_LAKE_CATALOG not set): no lake to maintain")
    return dg.RunRequest()
