"""The persistent Dagster instance `civcas run` and `make dev` share: `.dagster_home/` in the
repository unless DAGSTER_HOME says otherwise, created with orchestration/dagster.yaml."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from civcas.settings import REPO_ROOT

DEFAULT_DAGSTER_HOME = REPO_ROOT / ".dagster_home"
INSTANCE_TEMPLATE = Path(__file__).with_name("dagster.yaml")
# Run history kept (event logs and compute logs); older runs are deleted at every publish. A
# build's event log is about 5 MB (one event per dbt node and check), so about 250 MB at most.
RUNS_KEPT = 50


def dagster_home() -> Path:
    """The instance folder. The repository's own always has civcas' current dagster.yaml; a
    folder named by DAGSTER_HOME gets it only when it has none (the operator's may differ)."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    template = INSTANCE_TEMPLATE.read_text()
    if not config.exists() or (home == DEFAULT_DAGSTER_HOME and config.read_text() != template):
        config.write_text(template)
    return home


def civcas_instance() -> dg.DagsterInstance:
    os.environ["DAGSTER_HOME"] = str(dagster_home())
    return dg.DagsterInstance.get()


@contextmanager
def run_instance(keep_history: bool) -> Iterator[dg.DagsterInstance]:
    """The instance a `civcas run` executes in: the persistent one, or, when the settings keep no
    run history (CIVCAS_RUN_HISTORY=none), Dagster's ephemeral one, in memory and gone with it."""
    if keep_history:
        yield civcas_instance()
    else:
        with dg.DagsterInstance.ephemeral() as instance:
            yield instance


def purge_old_runs(instance: dg.DagsterInstance, keep: int = RUNS_KEPT) -> int:
    """Delete finished runs beyond the newest `keep` (event logs and compute logs too)."""
    finished = instance.get_run_records(
        filters=dg.RunsFilter(statuses=[s for s in dg.DagsterRunStatus if s.value in _DONE])
    )
    old = finished[keep:]
    storage = Path(instance.root_directory) / "storage"
    for record in old:
        instance.delete_run(record.dagster_run.run_id)
        shutil.rmtree(storage / record.dagster_run.run_id, ignore_errors=True)
    return len(old)


_DONE = {"SUCCESS", "FAILURE", "CANCELED"}


if __name__ == "__main__":
    # `make dev`: print the folder to export as DAGSTER_HOME.
    sys.stdout.write(f"{dagster_home()}\n")
