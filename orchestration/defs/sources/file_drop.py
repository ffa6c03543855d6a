"""File-drop sources: files dropped in `<landing>/<source>/`, landed when new.

One multi-asset per source of `ingestion.registry.FILE_DROP_SOURCES`, and the sensor that starts
a build when a file is added or changed.
"""

import hashlib
import json
from types import ModuleType

import dagster as dg

from ingestion.landing import LandingError
from ingestion.registry import FILE_DROP_SOURCES
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.sources.raw_tables import (
    landed_metadata,
    materialize_every_table,
    raw_table_specs,
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
        with warehouse.build_connection(context.run.run_id) as con:
            try:
                results = source.land(con, warehouse.settings.landing_dir)
            except LandingError as error:
                raise dg.Failure(description=str(error)) from error
        for result in results:
            context.log.info(result.summary)
        yield from materialize_every_table(source, landed_metadata(results, "files", "skipped"))

    return land


file_drop_assets = [file_drop_source(source) for source in FILE_DROP_SOURCES]


def landing_fingerprint(warehouse: WarehouseResource) -> tuple[str, list[str]]:
    """A digest of every file-drop file's name, size and modification time."""
    landing = warehouse.settings.landing_dir
    entries = []
    for source in FILE_DROP_SOURCES:
        for path in source.landing_files(landing):
            stat = path.stat()
            entries.append(f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}")
    entries.sort()
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest(), entries


@dg.sensor(
    name="civcas_landing_sensor",
    job_name="civcas_build",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts civcas_build when a file is added to or changed in the landing folder.",
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint, entries = landing_fingerprint(warehouse)
    if fingerprint == context.cursor:
        return dg.SkipReason(f"no new files among {len(entries)} in the landing folder")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"civcas/trigger": "landing_sensor"})
