"""Start a build when a new or changed file appears in the landing folder."""

import hashlib
import json

import dagster as dg

from orchestration.assets import FILE_SOURCES
from orchestration.jobs import build_job
from orchestration.resources import WarehouseResource


def landing_fingerprint(warehouse: WarehouseResource) -> tuple[str, list[str]]:
    """A digest of every file-drop file's name, size and modification time."""
    landing = warehouse.settings.landing_dir
    entries = []
    for source in FILE_SOURCES:
        for path in source.landing_files(landing):
            stat = path.stat()
            entries.append(f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}")
    entries.sort()
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest(), entries


@dg.sensor(
    name="civcas_landing_sensor",
    job=build_job,
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
