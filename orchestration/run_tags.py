"""The tags civcas puts on its runs, and what the landing sensor reads from them."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

import dagster as dg

from civcas import inputs
from civcas.settings import Settings

# A run tagged with the fingerprint it was requested for: the files count as seen once such a
# run succeeded (success means published).
FINGERPRINT_TAG = "civcas/landing_fingerprint"
# And per file source it lands, that source's own (`civcas run --source` lands only some): the
# publish records them, so a run of one source leaves the warehouse up to date for the next.
SOURCE_FINGERPRINT_TAG = "civcas/landing_fingerprint."  # + the source's name
# The file sources a run lands, comma-separated; empty for a run of API sources only (it lands no
# file, so what the last publish recorded of each file source stays true).
LANDED_SOURCES_TAG = "civcas/landed_file_sources"

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


def fingerprint_tags(settings: Settings, sources: list[str] | None = None) -> dict[str, str]:
    """The tags of a run that lands `sources` (default: every file source; API sources named are
    left out): each one's fingerprint, and the whole folder's when it lands them all."""
    per_source = inputs.settings_source_fingerprints(settings)
    chosen = [name for name in (sources or per_source) if name in per_source]
    tags = {f"{SOURCE_FINGERPRINT_TAG}{name}": per_source[name] for name in chosen}
    tags[LANDED_SOURCES_TAG] = ",".join(chosen)
    if not sources:
        tags[FINGERPRINT_TAG] = inputs.combined_fingerprint(per_source)
    return tags


def tagged_source_fingerprints(tags: Mapping[str, str]) -> dict[str, str] | None:
    """The per-source fingerprints a run was tagged with (empty: it lands no file source); None
    for a run not tagged by civcas (what it landed is unknown)."""
    if LANDED_SOURCES_TAG not in tags:
        return None
    return {
        key.removeprefix(SOURCE_FINGERPRINT_TAG): value
        for key, value in tags.items()
        if key.startswith(SOURCE_FINGERPRINT_TAG)
    }


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
