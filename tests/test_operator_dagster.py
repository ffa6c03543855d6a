"""Dagster as an operator expects: a persistent instance with a one-run queue, and a landing
sensor that never loses a file (issue 9, item 3)."""

from __future__ import annotations

import subprocess
import threading
import time

import dagster as dg
import pytest
from conftest import REPO, incident, write_incidents
from dagster._core.test_utils import create_run_for_test

from orchestration.definitions import defs
from orchestration.defs.sources.file_drop import ATTEMPTS_PER_FINGERPRINT, FINGERPRINT_TAG
from orchestration.instance import DEFAULT_DAGSTER_HOME, civcas_instance, purge_old_runs


def _tick(instance: dg.DagsterInstance):
    sensor = defs.resolve_sensor_def("civcas_landing_sensor")
    context = dg.build_sensor_context(
        instance=instance, resources={"warehouse": defs.resources["warehouse"]}
    )
    return sensor(context)


def test_the_instance_queues_runs_one_at_a_time_and_retries_failures(civcas_env):
    instance = civcas_instance()
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
    assert (instance.run_retries_enabled, instance.run_retries_max_retries) == (True, 1)
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(DEFAULT_DAGSTER_HOME / "dagster.yaml")], cwd=REPO
    )
    assert ignored.returncode == 0  # the default instance folder is never committed


def test_old_runs_are_purged_beyond_the_newest_kept(civcas_env):
    instance = civcas_instance()
    ids = [
        create_run_for_test(instance, status=dg.DagsterRunStatus.SUCCESS).run_id for _ in range(4)
    ]
    running = create_run_for_test(instance, status=dg.DagsterRunStatus.STARTED).run_id
    assert purge_old_runs(instance, keep=2) == 2
    left = {run.run_id for run in instance.get_runs()}
    assert left == {ids[2], ids[3], running}


def test_a_failed_run_is_requested_again_until_the_attempts_run_out(civcas_env):
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    instance = civcas_instance()
    request = _tick(instance)
    assert isinstance(request, dg.RunRequest)
    tags = request.tags
    create_run_for_test(instance, tags=tags, status=dg.DagsterRunStatus.STARTED)
    assert "queued or in progress" in _tick(instance).skip_message
    for run in instance.get_runs():
        instance.report_run_failed(run)
    again = _tick(instance)
    assert isinstance(again, dg.RunRequest)
    assert again.tags[FINGERPRINT_TAG] == tags[FINGERPRINT_TAG]
    for _ in range(ATTEMPTS_PER_FINGERPRINT - 1):
        create_run_for_test(instance, tags=tags, status=dg.DagsterRunStatus.FAILURE)
    assert f"{ATTEMPTS_PER_FINGERPRINT} runs" in _tick(instance).skip_message


def _landed(instance: dg.DagsterInstance, run_id: str) -> bool:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(["raw", "airwars_incidents"])), limit=5
    ).records
    return any(record.run_id == run_id for record in records)


@pytest.mark.timeout(900)  # two full builds; about 2 x 40 s on an idle 2-core machine
def test_a_file_dropped_during_a_build_is_published_by_the_next_queued_run(civcas_env):
    """The issue's done-when: nobody touches anything between the two runs."""
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    instance = civcas_instance()
    first = _tick(instance)
    assert isinstance(first, dg.RunRequest)
    job = defs.resolve_job_def("civcas_build")
    first_run_id = "11111111-1111-1111-1111-111111111111"
    during: dict[str, object] = {}

    def operator_drops_a_file_while_the_build_runs() -> None:
        deadline = time.monotonic() + 240
        while not _landed(instance, first_run_id) and time.monotonic() < deadline:
            time.sleep(0.2)
        during["before_drop"] = _tick(instance)
        write_incidents(civcas_env.landing, "incidents_2.csv", [incident(airwars_id="900002")])
        during["after_drop"] = _tick(instance)
        during["first_still_running"] = (
            instance.get_run_by_id(first_run_id).status == dg.DagsterRunStatus.STARTED
        )

    dropper = threading.Thread(target=operator_drops_a_file_while_the_build_runs)
    dropper.start()
    result = job.execute_in_process(instance=instance, tags=first.tags, run_id=first_run_id)
    dropper.join()
    assert result.success
    assert during["first_still_running"]
    assert "queued or in progress" in during["before_drop"].skip_message
    queued = during["after_drop"]
    assert isinstance(queued, dg.RunRequest)
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports") == [(1,)]

    # The run queue starts the requested run once the first has ended.
    second = job.execute_in_process(instance=instance, tags=queued.tags)
    assert second.success
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports") == [(2,)]
    assert "are published" in _tick(instance).skip_message
