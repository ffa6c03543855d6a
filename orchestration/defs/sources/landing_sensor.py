"""The landing sensor: starts a build when a file of any file-drop source is added or changed
(the sources themselves are components: orchestration/components/file_drop.py)."""

import os

import dagster as dg

from civcas import inputs
from orchestration.defs.resources import WarehouseResource
from orchestration.run_tags import (
    FINGERPRINT_TAG,
    IN_FLIGHT,
    fail_runs_of_dead_processes,
    fingerprint_tags,
)


def landing_fingerprint(warehouse: WarehouseResource) -> tuple[str, list[str]]:
    """The landing folder by content (civcas.inputs: only changed files are read again)."""
    return inputs.settings_fingerprint(warehouse.settings)


# A run for a fingerprint that failed is requested again, up to this many times.
ATTEMPTS_PER_FINGERPRINT = 3


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
        "Starts civcas_build when the landing folder's content differs from what the published"
        " warehouse was built from. A file counts as seen only once a run that landed it has"
        " published; runs wait in Dagster's run queue, one at a time."
    ),
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    fingerprint, entries = landing_fingerprint(warehouse)
    instance = context.instance
    # What is published now, not whether this content was ever published: A, then B, then A
    # dropped back is a change to publish.
    if inputs.published_landing_fingerprint(warehouse.settings) == fingerprint:
        return dg.SkipReason(f"the {len(entries)} files of the landing folder are published")
    fail_runs_of_dead_processes(instance)
    if _runs_for(instance, fingerprint, IN_FLIGHT):
        return dg.SkipReason("a run for the current landing folder is queued or in progress")
    failed = _runs_for(instance, fingerprint, [dg.DagsterRunStatus.FAILURE])
    if failed >= ATTEMPTS_PER_FINGERPRINT:
        return dg.SkipReason(
            f"{failed} runs for the current landing folder failed; fix the cause (see the runs),"
            " then change a file or run `civcas run`"
        )
    return dg.RunRequest(
        tags={
            **fingerprint_tags(warehouse.settings),
            FINGERPRINT_TAG: fingerprint,
            "civcas/trigger": "landing_sensor",
        }
    )
