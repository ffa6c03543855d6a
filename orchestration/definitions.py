"""The Dagster code location: `dagster dev` in the repository root loads these definitions."""

import dagster as dg

from orchestration.api_assets import api_assets, api_current_month_schedule, api_job
from orchestration.assets import published_warehouse, raw_assets
from orchestration.checks import great_expectations_checks
from orchestration.dbt_assets import civcas_dbt_assets
from orchestration.jobs import build_job, one_writer_executor
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.schedules import daily_build_schedule
from orchestration.sensors import landing_sensor

defs = dg.Definitions(
    assets=[*raw_assets, *api_assets, civcas_dbt_assets, published_warehouse],
    asset_checks=[great_expectations_checks],
    jobs=[build_job, api_job],
    schedules=[daily_build_schedule, api_current_month_schedule],
    sensors=[landing_sensor],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    executor=one_writer_executor,
)


def civcas_build_job() -> dg.JobDefinition:
    """The resolved build job, for `dg.reconstructable` (out-of-process execution)."""
    return defs.resolve_job_def("civcas_build")
