"""File-drop sources: files dropped in `<landing>/<source>/`, landed when new.

One multi-asset per source of `ingestion.registry.FILE_DROP_SOURCES`, and the sensor that starts
a build when a file is added or changed.
"""

import os
import socket
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
        if PROCESS_TAG not in context.run.tags:  # a run the daemon launched: its worker process
            context.instance.add_run_tags(context.run.run_id, process_tags())
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
    """The landing folder by content (civcas.inputs: only changed files are read again)."""
    return inputs.settings_fingerprint(warehouse.settings)


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


# `civcas run` executes in its own process, which Dagster's run monitoring cannot watch (the
# default run launcher has no worker health check): it tags its run with its process, and the
# sensor marks such a run failed once that process is gone (kill -9, a crash), within one tick.
PROCESS_TAG = "civcas/process"


def process_tags() -> dict[str, str]:
    """Tags naming this process, for a run it executes in-process."""
    return {PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}"}


def _process_gone(tag: str) -> bool:
    host, _, pid = tag.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def fail_runs_of_dead_processes(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every in-flight run whose `civcas run` process has died; their ids."""
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_IN_FLIGHT)):
        tag = run.tags.get(PROCESS_TAG)
        if tag and _process_gone(tag):
            instance.report_run_failed(
                run, f"the process that ran it ({tag}) ended without finishing the run"
            )
            failed.append(run.run_id)
    return failed


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
    if _runs_for(instance, fingerprint, _IN_FLIGHT):
        return dg.SkipReason("a run for the current landing folder is queued or in progress")
    failed = _runs_for(instance, fingerprint, [dg.DagsterRunStatus.FAILURE])
    if failed >= ATTEMPTS_PER_FINGERPRINT:
        return dg.SkipReason(
            f"{failed} runs for the current landing folder failed; fix the cause (see the runs),"
            " then change a file or run `civcas run`"
        )
    return dg.RunRequest(tags={FINGERPRINT_TAG: fingerprint, "civcas/trigger": "landing_sensor"})
