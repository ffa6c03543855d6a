"""The job and schedule every monthly API source shares (the sources are components:
orchestration/components/monthly_api.py, one defs.yaml each in this folder)."""

import dagster as dg

from ingestion.registry import MONTHLY_API_SOURCES
from orchestration.components.monthly_api import MONTHS
from orchestration.components.raw_tables import sources_selection
from orchestration.defs.publish.analyst_report import analyst_report
from orchestration.defs.publish.published_warehouse import published_warehouse
from orchestration.defs.transform.dbt import civcas_dbt_assets

api_job = dg.define_asset_job(
    name="civcas_api_months",
    selection=sources_selection(MONTHLY_API_SOURCES)
    | dg.AssetSelection.assets(civcas_dbt_assets, published_warehouse, analyst_report),
    description=(
        "Fetch the selected event months from the UCDP and ACLED APIs, rebuild the models,"
        " validate,"
        " and publish. Launch a month range as a backfill: it runs once for the whole range."
    ),
    tags={"civcas/warehouse": "build"},
)


@dg.schedule(
    name="civcas_api_current_month",
    job=api_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    description=(
        "Every day at 06:00 UTC, fetch the month in progress from the API sources that have"
        " credentials."
    ),
)
def api_current_month_schedule(context: dg.ScheduleEvaluationContext):
    configured = [source for source in MONTHLY_API_SOURCES if source.config_from_env() is not None]
    if not configured:
        return dg.SkipReason("; ".join(source.skip_message() for source in MONTHLY_API_SOURCES))
    key = MONTHS.get_last_partition_key(current_time=context.scheduled_execution_time)
    return dg.RunRequest(
        partition_key=key, tags={"civcas/api_sources": ",".join(s.SOURCE for s in configured)}
    )
