"""`civcas run`: materialize the asset graph in-process, then report what happened."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import dagster as dg
import duckdb

from orchestration import warehouse as wh
from orchestration.settings import Settings, load_settings


@dataclass
class RunReport:
    success: bool
    run_id: str
    warehouse: str
    published: bool
    loads: list[str] = field(default_factory=list)
    rows_landed: int = 0
    rows_rejected: int = 0
    validation_failures: list[str] = field(default_factory=list)
    validation_warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    kept_build: str | None = None

    def lines(self) -> list[str]:
        state = "published" if self.published else "NOT published (previous warehouse kept)"
        out = [f"run {self.run_id}: {'succeeded' if self.success else 'FAILED'}; {state}"]
        out += [f"  load: {line}" for line in self.loads]
        out.append(
            f"  rows landed: {self.rows_landed}, rows rejected (quarantined): {self.rows_rejected}"
        )
        out.append(
            f"  validation: {len(self.validation_failures)} error-level failures,"
            f" {len(self.validation_warnings)} warnings"
        )
        out += [f"    FAILED {line}" for line in self.validation_failures]
        out += [f"    warn   {line}" for line in self.validation_warnings]
        out += [f"  error: {line}" for line in self.errors]
        out += [f"  warning: {line}" for line in self.notices]
        out.append(f"  warehouse: {self.warehouse}")
        if self.kept_build:
            out.append(
                f"  failed build kept for inspection (the newest few are kept): {self.kept_build}"
            )
        return out


def _instance() -> dg.DagsterInstance:
    return (
        dg.DagsterInstance.get()
        if os.environ.get("DAGSTER_HOME")
        else dg.DagsterInstance.ephemeral()
    )


def _failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data:
            data = event.step_failure_data
            error = data.error
            while error is not None and error.cause is not None:
                error = error.cause  # the user's exception, not Dagster's wrapper
            text = (data.user_failure_data.description if data.user_failure_data else None) or (
                error.message.strip() if error else "step failed"
            )
            messages.append(f"{event.step_key}: {text}")
    return messages


def _summarize_build(
    report: RunReport, settings: Settings, run_id: str, load_ids: list[str]
) -> None:
    """Read the figures of this run from the published file (or from the kept failed build)."""
    path = settings.warehouse if report.published else wh.build_path(settings, run_id)
    if not path.exists():
        return
    try:
        con = wh.connect(path, read_only=True)
    except duckdb.Error as error:
        report.errors.append(f"could not read the figures of this run from {path}: {error}")
        return
    try:
        tables = {
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if load_ids and "audit.loads" in tables:
            report.rows_landed, report.rows_rejected = con.execute(
                "select coalesce(sum(rows_in), 0), coalesce(sum(rows_rejected), 0)"
                " from audit.loads where list_contains(?, load_id)",
                [load_ids],
            ).fetchone()
        if "audit.validation_results" in tables:
            for suite, name, table, severity, count, observed in con.execute(
                "select suite, expectation, table_name, severity, unexpected_count, observed_value"
                " from audit.validation_results where run_id = ? and not success"
                " order by severity, suite, expectation",
                [run_id],
            ).fetchall():
                detail = f"{count} unexpected rows" if count is not None else f"observed {observed}"
                line = f"{suite}.{name} on {table}: {detail}"
                (
                    report.validation_failures
                    if severity == "error"
                    else report.validation_warnings
                ).append(line)
    finally:
        con.close()


def run_pipeline(
    selection: dg.AssetSelection | None = None,
    partition_key: str | None = None,
    log_level: str = "INFO",
    tags: dict[str, str] | None = None,
) -> RunReport:
    from orchestration.definitions import defs
    from orchestration.selection import build_selection

    settings = load_settings()
    # The default selection leaves out the month-partitioned API assets (they need --month).
    selection = selection or build_selection([], [])[0]
    job = dg.define_asset_job("civcas_cli_run", selection=selection)
    resolved = dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).get_job_def("civcas_cli_run")
    result = resolved.execute_in_process(
        instance=_instance(),
        partition_key=partition_key,
        tags=tags,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )
    load_ids, loads = [], []
    for event in result.get_asset_materialization_events():
        metadata = event.event_specific_data.materialization.metadata
        if "load_ids" in metadata:
            load_ids += list(metadata["load_ids"].value)
            loads += list(metadata["loads"].value)
    published_events = [
        event.event_specific_data.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey(["published", "civcas_warehouse"])
    ]
    published = bool(published_events)
    report = RunReport(
        success=result.success and published,
        run_id=result.run_id,
        warehouse=str(settings.warehouse),
        published=published,
        loads=sorted(set(loads)),
        errors=_failure_messages(result),
        notices=[
            notice
            for materialization in published_events
            if "notices" in materialization.metadata
            for notice in materialization.metadata["notices"].value
        ],
    )
    report.errors += _failed_dbt_tests(result)
    failed_build = wh.build_path(settings, result.run_id)
    if not published and failed_build.exists():
        report.kept_build = str(failed_build)
    _summarize_build(report, settings, result.run_id, sorted(set(load_ids)))
    return report


def _failed_dbt_tests(result: dg.ExecuteInProcessResult) -> list[str]:
    """dbt tests are asset checks too; name the failed ones (GX ones are reported from audit)."""
    failed = []
    for event in result.all_events:
        if event.event_type != dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            continue
        evaluation = event.event_specific_data
        if evaluation.passed or evaluation.check_name.startswith("gx__"):
            continue
        rows = evaluation.metadata.get("dagster_dbt/failed_row_count")
        count = f": {rows.value} failing rows" if rows is not None else ""
        failed.append(
            f"dbt test {evaluation.check_name} on {evaluation.asset_key.to_user_string()}"
            f" ({evaluation.severity.value.lower()}){count}"
        )
    return failed
