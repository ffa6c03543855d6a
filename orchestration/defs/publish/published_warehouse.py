"""The published warehouse, the full build job, and its daily schedule."""

import dagster as dg

from civcas.inputs import record_published_inputs
from ingestion.registry import FILE_DROP_SOURCES
from orchestration.components.raw_tables import sources_selection
from orchestration.defs.publish.analyst_report import analyst_report
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.transform.dbt import civcas_dbt_assets
from orchestration.instance import purge_old_runs
from orchestration.run_tags import FINGERPRINT_TAG, tagged_source_fingerprints


@dg.asset(
    key=dg.AssetKey(["published", "civcas_warehouse"]),
    group_name="published",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    # Every model, not the seeds: a build keeps the seeds of the code that published the warehouse
    # it copies (defs/transform/dbt.py, build_args); a seed that fails fails the dbt step.
    deps=[key for key in civcas_dbt_assets.keys if key.path[0] != "seeds"],
    description=(
        "The published warehouse analysts open read-only. Replaced atomically by this run's build"
        " only when every error-level expectation passed."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    # The error-level expectations are blocking checks: Dagster runs this step only when all of
    # them passed in this run. Their outcome comes with this run's build; a run whose checks did
    # not run (this asset materialized alone) has nothing validated to publish.
    outcome = warehouse.validation
    if outcome is None:
        raise dg.Failure(
            description="not published: this run did not validate its build (its"
            " great_expectations checks did not run); materialize it with its checks, as"
            " civcas_build does"
        )
    if outcome.errors:
        raise dg.Failure(
            description="not published: " + "; ".join(outcome.error_messages),
            metadata={"failed_error_checks": len(outcome.errors)},
        )
    with warehouse.connect() as con:
        tags = context.run.tags
        record_published_inputs(
            con, context.run.run_id, tags.get(FINGERPRINT_TAG), tagged_source_fingerprints(tags)
        )
    notices: list[str] = []
    path = warehouse.publish(notices)
    for notice in notices:
        context.log.warning(notice)
    purge_old_runs(context.instance)  # every publish, from `civcas run` or the daemon alike
    return dg.MaterializeResult(
        metadata={
            "path": str(path),
            "notices": dg.MetadataValue.json(notices),
            "expectations_checked": len(outcome.results),
            "warnings": len(outcome.warnings),
        }
    )


build_job = dg.define_asset_job(
    name="civcas_build",
    selection=sources_selection(FILE_DROP_SOURCES)
    | dg.AssetSelection.assets(civcas_dbt_assets, published_warehouse, analyst_report),
    description=(
        "Land new files, rebuild the models, validate, publish if no error check fails, and write"
        " the analyst's report from what was published."
    ),
    tags={"civcas/warehouse": "build"},
)

daily_build_schedule = dg.ScheduleDefinition(
    name="civcas_daily_build",
    job=build_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description="Rebuild and publish every day at 05:00 UTC.",
)
