"""Dagster as an operator expects: a persistent instance with a one-run queue, and a landing
sensor that never loses a file (issue 9, item 3)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.scheduler.instigation import InstigatorType, TickStatus
from dagster._core.test_utils import create_run_for_test
from helpers import REPO, SECRET_ENV, incident, write_incidents

from orchestration.definitions import defs
from orchestration.defs.sources.landing_sensor import (
    ATTEMPTS_PER_FINGERPRINT,
    SENSOR_INTERVAL_ENV,
    sensor_interval_seconds,
)
from orchestration.instance import DEFAULT_DAGSTER_HOME, civcas_instance, purge_old_runs
from orchestration.run_tags import FINGERPRINT_TAG


def _tick(instance: dg.DagsterInstance):
    sensor = defs.resolve_sensor_def("civcas_landing_sensor")
    with dg.build_sensor_context(
        instance=instance, resources={"warehouse": defs.resources["warehouse"]}
    ) as context:
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


def test_the_sensor_interval_is_60_seconds_unless_set(monkeypatch):
    sensor = defs.resolve_sensor_def("civcas_landing_sensor")
    assert sensor.minimum_interval_seconds == sensor_interval_seconds()
    monkeypatch.delenv(SENSOR_INTERVAL_ENV, raising=False)
    assert sensor_interval_seconds() == 60
    monkeypatch.setenv(SENSOR_INTERVAL_ENV, "5")
    assert sensor_interval_seconds() == 5
    for wrong in ("0", "-3", "1.5", "soon"):
        monkeypatch.setenv(SENSOR_INTERVAL_ENV, wrong)
        with pytest.raises(ValueError, match=SENSOR_INTERVAL_ENV):
            sensor_interval_seconds()


def _landed(instance: dg.DagsterInstance, run_id: str) -> bool:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(["raw", "airwars_incidents"])), limit=5
    ).records
    return any(record.run_id == run_id for record in records)


# How often the test's daemon evaluates the landing sensor (60 s by default).
SENSOR_INTERVAL = "3"
BIN = Path(sys.executable).parent


class Daemon:
    """A real `dagster-daemon run` on the test's instance and civcas' code location (the one
    `make dev` loads), its output in a file, killed with its process group (its code server and
    the run workers it launched) at the end."""

    def __init__(self, root: Path) -> None:
        self.workspace = root / "workspace.yaml"
        self.workspace.write_text(
            "load_from:\n  - python_module:\n      module_name: orchestration.definitions\n"
            f"      location_name: civcas\n      working_directory: {REPO}\n"
        )
        self.log = root / "daemon.log"
        self.env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
        self.env[SENSOR_INTERVAL_ENV] = SENSOR_INTERVAL
        self.process: subprocess.Popen | None = None

    def start_sensor(self) -> None:
        """Switch the sensor on in the instance, as the UI's toggle does (default: off)."""
        started = subprocess.run(
            [BIN / "dagster", "sensor", "start", "civcas_landing_sensor", "-w", self.workspace],
            cwd=REPO, env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert started.returncode == 0, started.stdout + started.stderr

    def __enter__(self) -> Daemon:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [BIN / "dagster-daemon", "run", "-w", self.workspace],
                cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def __exit__(self, *exc) -> None:
        for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # run workers outliving the daemon

    def wait_for(self, what: str, condition, seconds: float):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if result := condition():
                return result
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        ended = "" if self.process.poll() is None else f" (daemon exited {self.process.returncode})"
        pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}{ended}; {self.output()}")

    def output(self) -> str:
        return "daemon output (last lines):\n" + self.log.read_text(errors="replace")[-6000:]


def _sensor_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """The runs the landing sensor requested, oldest first."""
    runs = instance.get_runs(filters=dg.RunsFilter(tags={"civcas/trigger": "landing_sensor"}))
    return sorted(runs, key=lambda run: instance.get_run_record_by_id(run.run_id).create_timestamp)


def _sensor_ticks(instance: dg.DagsterInstance):
    (state,) = instance.all_instigator_state(instigator_type=InstigatorType.SENSOR)
    return instance.get_ticks(state.instigator_origin_id, state.selector_id)


@pytest.mark.full_runs(2)
@pytest.mark.timeout(900)  # two full builds launched by the daemon
def test_a_file_dropped_during_a_build_is_published_by_the_next_queued_run(civcas_env, tmp_path):
    """The issue's done-when: the test only drops files; the daemon's sensor requests the runs,
    its run queue starts them one at a time, and nobody touches anything in between."""
    instance = civcas_instance()  # the test's DAGSTER_HOME, with civcas' dagster.yaml
    done = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
    daemon = Daemon(tmp_path)
    daemon.start_sensor()
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    with daemon:
        first = daemon.wait_for("the sensor's first run", lambda: _sensor_runs(instance), 240)[0]
        daemon.wait_for(
            "the first run to land the file",
            lambda: (
                _landed(instance, first.run_id)
                or instance.get_run_by_id(first.run_id).status in done
            ),
            300,
        )
        status = instance.get_run_by_id(first.run_id).status
        assert status == dg.DagsterRunStatus.STARTED, f"first run {status}; {daemon.output()}"
        assert "queued or in progress" in _tick(instance).skip_message
        write_incidents(civcas_env.landing, "incidents_2.csv", [incident(airwars_id="900002")])
        runs = daemon.wait_for(
            "the sensor's second run", lambda: len(r := _sensor_runs(instance)) > 1 and r, 120
        )
        daemon.wait_for(
            "both runs to end",
            lambda: all(instance.get_run_by_id(r.run_id).status in done for r in runs),
            600,
        )
        ticks = daemon.wait_for(
            "a finished sensor tick after the second run",
            lambda: [
                tick
                for tick in _sensor_ticks(instance)
                if tick.timestamp > instance.get_run_record_by_id(runs[1].run_id).end_time
                and tick.status != TickStatus.STARTED  # a tick in progress has no reason yet
            ],
            60,
        )
    records = [instance.get_run_record_by_id(run.run_id) for run in _sensor_runs(instance)]
    statuses = [r.dagster_run.status for r in records]
    assert statuses == [dg.DagsterRunStatus.SUCCESS] * 2, f"{statuses}; {daemon.output()}"
    first_record, second_record = records
    # The second run was requested and queued while the first ran, and started after it ended.
    assert first_record.start_time < second_record.create_timestamp.timestamp()
    assert second_record.create_timestamp.timestamp() < first_record.end_time
    assert second_record.start_time >= first_record.end_time
    requested = [
        t for t in _sensor_ticks(instance) if second_record.dagster_run.run_id in t.run_ids
    ]
    assert len(requested) == 1 and requested[0].timestamp < first_record.end_time
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports") == [(2,)]
    latest = max(ticks, key=lambda tick: tick.timestamp)
    assert "are published" in (latest.skip_reason or ""), latest
