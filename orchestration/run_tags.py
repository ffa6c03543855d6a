"""The tags civcas puts on its runs, and what the landing sensor reads from them."""

from __future__ import annotations

import os
import socket

import dagster as dg

# A run tagged with the fingerprint it was requested for: the files count as seen once such a
# run succeeded (success means published).
FINGERPRINT_TAG = "civcas/landing_fingerprint"

# `civcas run` executes in its own process, which Dagster's run monitoring cannot watch (the
# default run launcher has no worker health check): it tags its run with its process, and the
# sensor marks such a run failed once that process is gone (kill -9, a crash), within one tick.
PROCESS_TAG = "civcas/process"

IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


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
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=IN_FLIGHT)):
        tag = run.tags.get(PROCESS_TAG)
        if tag and _process_gone(tag):
            instance.report_run_failed(
                run, f"the process that ran it ({tag}) ended without finishing the run"
            )
            failed.append(run.run_id)
    return failed
