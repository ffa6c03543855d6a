"""What `civcas run` prints while it runs: one line per phase (landing, dbt, checks, publish),
read from Dagster's structured events. `civcas run --verbose` adds Dagster's own log."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter

import dagster as dg

from ingestion.registry import ALL_SOURCES
from orchestration.components.raw_tables import landing_step
from orchestration.defs.transform.dbt import PROGRESS_EXTRA, UNTRACKED_TESTS_EXTRA

DBT_STEP = "civcas_dbt_assets"
CHECKS_STEP = "great_expectations"
PUBLISH_STEP = "published__civcas_warehouse"
# dbt's test statuses, as the phase lines count them.
_TEST_OUTCOME = {"pass": "passed", "warn": "warn", "fail": "error", "error": "error"}
_STEP_END = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
# The source each landing step lands, from the registry the components are built from.
LANDING_STEPS = {landing_step(source.SOURCE): source.SOURCE for source in ALL_SOURCES}


def _landing_line(source: str, metadata: dict) -> str:
    values = {name: value.value for name, value in metadata.items()}
    if "skipped" in values:
        return f"landing {source}: {values['skipped']}"
    unit = "files" if "files_landed" in values else "pages"
    landed = values.get(f"{unit}_landed", 0)
    seen = values.get("files_skipped", values.get("pages_unchanged", 0))
    refused = values.get(f"{unit}_not_landed", 0)
    return (
        f"landing {source}: {landed} new {unit} ({values.get('rows_landed', 0)} rows),"
        f" {seen} landed before" + (f", {refused} not landed (see below)" if refused else "")
    )


class PhaseHandler(logging.Handler):
    """Counts the events of each step and prints a line when a phase ends."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stdout
        self.landed_steps: set[str] = set()
        self.materialized: Counter[str] = Counter()
        self.checks: Counter[tuple[str, str]] = Counter()

    def _print(self, line: str) -> None:
        self.stream.write(f"  {line}\n")
        self.stream.flush()

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event: dg.DagsterEvent | None = meta.get("dagster_event")
        if event is None:
            self._count_untracked_tests(getattr(record, UNTRACKED_TESTS_EXTRA, None) or {})
            if progress := getattr(record, PROGRESS_EXTRA, None):
                self._print(
                    f"dbt: {progress['done']:,}/{progress['total']:,} nodes:"
                    f" {progress['built']:,} models and seeds built, {progress['tested']:,} tests"
                )
            return
        step = event.step_key or ""
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self.materialized[step] += 1
            if step in LANDING_STEPS and step not in self.landed_steps:
                self.landed_steps.add(step)
                materialization = event.event_specific_data.materialization
                self._print(_landing_line(LANDING_STEPS[step], materialization.metadata))
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            outcome = "passed" if evaluation.passed else evaluation.severity.value.lower()
            self.checks[(step, outcome)] += 1
        elif kind == dg.DagsterEventType.STEP_START and step == DBT_STEP:
            self._print("dbt: building models and seeds, running tests")
        elif kind in _STEP_END:
            self._step_ended(step, kind == dg.DagsterEventType.STEP_SUCCESS)

    def _count_untracked_tests(self, outcomes: dict[str, int]) -> None:
        """The dbt step's counts of the tests that are not asset checks, by dbt's status."""
        for status, count in outcomes.items():
            if outcome := _TEST_OUTCOME.get(status):
                self.checks[(DBT_STEP, outcome)] += count

    def _checks(self, step: str) -> str:
        return (
            f"{self.checks[(step, 'passed')]} passed, {self.checks[(step, 'warn')]} warnings,"
            f" {self.checks[(step, 'error')]} errors"
        )

    def _step_ended(self, step: str, succeeded: bool) -> None:
        state = "done" if succeeded else "FAILED"
        if step == DBT_STEP:
            total = _dbt_node_count()
            self._print(
                f"dbt: {state}: {self.materialized[step]}/{total} models and seeds built;"
                f" tests {self._checks(step)}"
            )
        elif step == CHECKS_STEP:
            self._print(f"checks: {state}: expectations {self._checks(step)}")
        elif step == PUBLISH_STEP:
            self._print("publish: published" if succeeded else "publish: NOT published")
        elif step in LANDING_STEPS and not succeeded:
            self._print(f"landing {LANDING_STEPS[step]}: FAILED")


def _dbt_node_count() -> int:
    from orchestration.defs.resources import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text())
    nodes = manifest["nodes"].values()
    return sum(1 for node in nodes if node["resource_type"] in {"model", "seed"})


@dg.logger(description="One line per phase of a civcas run.")
def phase_logger(_init_context) -> logging.Logger:
    logger = logging.getLogger("civcas.progress")
    logger.handlers = [PhaseHandler()]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger
