"""File-drop sources: files dropped in `<landing>/<source>/`, landed when new.

One multi-asset per source of `ingestion.registry.FILE_DROP_SOURCES`, and the sensor that starts
a build when a file is added or changed.
"""

import os
from types import ModuleType

import dagster as dg

from civcas import inputs
from ingestion.landing import LandingError
from ingestion.registry import FILE_DROP_SOURCES
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.sources.raw_tables import (
    landed_metadata,
    materialize_every_table,
    raw_table_specs,
    raw_tables_metadata,
)


def file_drop_source(source: ModuleType) -> dg.AssetsDefinition:
    """Land every new file of one file-drop source; each raw table is one asset."""

    @dg.multi_asset(
        name=f"land_{source.SOURCE}",
        specs=raw_table_specs(source),
        pool=WAREHOUSE_POOL,
        description=source.__doc__,
    )
    def land(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        with warehouse.connect() as con:
            try:
                results = source.land(con, warehouse.settings.landing_dir)
            except LandingError as error:
                raise dg.Failure(description=str(error)) from error
            per_table = raw_tables_metadata(con, source)
        for result in results:
            context.log.info(result.summary)
        yield from materialize_every_table(
            source, landed_metadata(results, "files", "skipped"), per_table
        )

    return land


file_drop_assets = [file_drop_source(source) for source in FILE_DROP_SOURCES]


def landing_fingerprint(warehouse: WarehouseResource) -> tuple[str, list[str]]:
    return inputs.landing_fingerprint(warehouse.settings.landing_dir)


# A run tagged with the fingerprint it was requested for: the files count as seen once such a
# run succeeded (success means published); a failed one is requested again, up to this many times.
FINGERPRINT_TAG = "civcas/landing_fingerprint"
ATTEMPTS_PER_FINGERPRINT = 3
_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


SENSOR_INTERVAL_ENV = "CIVCAS_SENSOR_INTERVAL_SECONDS"


def sensor_interval_seconds() -> int:
    """How often the daemon evaluates the landing sensor: CIVCAS_SENSOR_INTERVAL_SECONDS, 60 by
    default (read when the definitions load: restart `make dev` after changing it)."""
    value = os.environ.get(SENSOR_INTERVAL_ENV, "").strip() or "60"
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValueError(f"{SENSOR_INTERVAL_ENV} must be a whole number of seconds, got {value!r}")
    return int(value)


def _runs_for(instance: dg.DagsterInstance, fingerprint: str, statuses) -> int:
    filters = dg.RunsFilter(tags={FINGERPRINT_TAG: fingerprint}, statuses=statuses)
    return instance.get_runs_count(filters=filters)


@dg.sensor(
    name="civcas_landing_sensor",
    job_name="civcas_build",
    minimum_interval_seconds=sensor_interval_seconds(),
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Starts civcas_build when the landing folder changed since the last published run. A file"
        " counts as seen only once a run that landed it has published; runs wait in Dagster's"
        " run queue, one at a time."
    ),
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint, entries = landing_fingerprint(warehouse)
    instance = context.instance
    if _runs_for(instance, fingerprint, [dg.DagsterRunStatus.SUCCESS]):
        return dg.SkipReason(f"the {len(entries)} files of the landing folder are published")
    if _runs_for(instance, fingerprint, _IN_FLIGHT):
        return dg.SkipReason("a run for the current landing folder is queued or in progress")
    failed = _runs_for(instance, fingerprint, [dg.DagsterRunStatus.FAILURE])
    if failed >= ATTEMPTS_PER_FINGERPRINT:
        return dg.SkipReason(
            f"{failed} runs for the current landing folder failed; fix the cause (see the runs),"
            " then change a file or run `civcas run`"
        )
    return dg.RunRequest(tags={FINGERPRINT_TAG: fingerprint, "civcas/trigger": "landing_sensor"})
