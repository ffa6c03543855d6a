"""The landing sensor keys on content and on what is published now, and a `civcas run` killed
mid-run does not hold it up (issue 27, item 11)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import dagster as dg
import duckdb
from dagster._core.test_utils import create_run_for_test
from helpers import incident, write_incidents

from civcas.inputs import record_published_inputs
from orchestration.definitions import defs
from orchestration.run_tags import FINGERPRINT_TAG, PROCESS_TAG


def _tick(instance: dg.DagsterInstance):
    sensor = defs.resolve_sensor_def("civcas_landing_sensor")
    resources = {"warehouse": defs.resources["warehouse"]}
    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        return sensor(context)


def _publish(warehouse, fingerprint: str) -> None:
    """What a publish records: the landing fingerprint its run was requested for."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    record_published_inputs(con, "run", fingerprint)
    con.close()


def test_an_earlier_export_dropped_back_with_its_old_mtime_is_landed_again(civcas_env):
    path = write_incidents(
        civcas_env.landing, "incidents.csv", [incident(civilians_killed_max="3")]
    )
    a_times = path.stat()
    a_content = path.read_bytes()
    with dg.instance_for_test() as instance:
        a = _tick(instance).tags[FINGERPRINT_TAG]
        _publish(civcas_env.warehouse, a)
        assert "are published" in _tick(instance).skip_message
        path.write_text(path.read_text().replace(",3,", ",9,"))  # B, the correction
        b = _tick(instance).tags[FINGERPRINT_TAG]
        _publish(civcas_env.warehouse, b)
        path.write_bytes(a_content)  # A dropped back, its original mtime restored
        os.utime(path, ns=(a_times.st_atime_ns, a_times.st_mtime_ns))
        again = _tick(instance)
        assert isinstance(again, dg.RunRequest)
        assert again.tags[FINGERPRINT_TAG] == a


def test_a_run_whose_process_died_is_marked_failed_and_the_sensor_goes_on(civcas_env):
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with dg.instance_for_test() as instance:
        fingerprint = _tick(instance).tags[FINGERPRINT_TAG]
        alive = f"{socket.gethostname()}:{os.getpid()}"
        running = create_run_for_test(
            instance,
            tags={FINGERPRINT_TAG: fingerprint, PROCESS_TAG: alive},
            status=dg.DagsterRunStatus.STARTED,
        )
        assert "in progress" in _tick(instance).skip_message
        instance.report_run_failed(running)
        killed = create_run_for_test(
            instance,
            tags={FINGERPRINT_TAG: fingerprint, PROCESS_TAG: f"{socket.gethostname()}:{dead.pid}"},
            status=dg.DagsterRunStatus.STARTED,
        )
        request = _tick(instance)
        assert isinstance(request, dg.RunRequest)
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE


def test_a_run_the_daemon_launched_is_tagged_with_its_worker_process(civcas_env):
    from ingestion import ledger
    from orchestration.components.file_drop import file_drop_assets
    from orchestration.defs.resources import WarehouseResource

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [file_drop_assets(ledger)],  # nothing in the landing folder, lands nothing
            resources={"warehouse": WarehouseResource()},
            instance=instance,
        )
        assert result.success
        tags = instance.get_run_by_id(result.run_id).tags
        assert tags[PROCESS_TAG] == f"{socket.gethostname()}:{os.getpid()}"
