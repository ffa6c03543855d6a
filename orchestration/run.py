"""`civcas run`: materialize the asset graph in-process, then report what happened
(`civcas.report`)."""

from __future__ import annotations

import dagster as dg

from civcas import warehouse as wh
from civcas.published import describe
from civcas.report import RunReport, summarize_build
from civcas.settings import load_settings
from orchestration.defs.transform.dbt import QUIET_DBT_TAG
from orchestration.instance import run_instance
from orchestration.progress import phase_logger


def landing_tags(sources: list[str] | None = None) -> dict[str, str]:
    """The fingerprints of the landing files a run of `sources` (default: all) lands: once it
    publishes, they count as published (the sensor and `civcas run` then see nothing new)."""
    from orchestration.run_tags import fingerprint_tags

    return fingerprint_tags(load_settings(), sources)


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


def run_pipeline(
    selection: dg.AssetSelection | None = None,
    partition_key: str | None = None,
    log_level: str = "INFO",
    tags: dict[str, str] | None = None,
    verbose: bool = False,
) -> RunReport:
    """Run in the persistent instance (`orchestration.instance`) so that `dagster dev` shows it,
    or in an ephemeral one when the settings keep no run history (CIVCAS_RUN_HISTORY=none).

    Prints one line per phase; `verbose` adds Dagster's console log at `log_level`.
    """
    from orchestration.definitions import defs
    from orchestration.defs.publish.published_warehouse import published_warehouse
    from orchestration.selection import build_selection

    settings = load_settings()
    # The default selection leaves out the month-partitioned API assets (they need --month).
    selection = selection or build_selection([], [])[0]
    job = dg.define_asset_job("civcas_cli_run", selection=selection)
    with_job = dg.Definitions.merge(
        defs,
        dg.Definitions(
            jobs=[job],
            loggers={"civcas_phases": phase_logger, "console": dg.colored_console_logger},
        ),
    )
    resolved = with_job.resolve_job_def("civcas_cli_run")
    loggers: dict = {"civcas_phases": {}}
    if verbose:
        loggers["console"] = {"config": {"log_level": log_level}}
    with run_instance(settings.keep_run_history) as instance:
        result = resolved.execute_in_process(
            instance=instance,
            partition_key=partition_key,
            tags={**(tags or {}), **({} if verbose else {QUIET_DBT_TAG: "true"})},
            raise_on_error=False,
            run_config={"loggers": loggers},
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
    # The dbt step yields nothing when nothing landed (defs/transform/dbt.py): every step after
    # it is skipped, the publish among them.
    up_to_date = result.success and any(
        event.is_step_skipped and event.step_key == published_warehouse.op.name
        for event in result.all_events
    )
    report = RunReport(
        success=result.success and (published or up_to_date),
        up_to_date=up_to_date,
        run_id=result.run_id,
        warehouse=describe(settings),
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
    failed_tests = _failed_dbt_tests(result)
    report.errors += [line for severity, line in failed_tests if severity == "error"]
    report.notices += [line for severity, line in failed_tests if severity != "error"]
    failed_build = wh.build_path(settings, result.run_id)
    if not published and failed_build.exists():
        report.kept_build = str(failed_build)
    summarize_build(report, settings, result.run_id, sorted(set(load_ids)))
    return report


def _failed_dbt_tests(result: dg.ExecuteInProcessResult) -> list[tuple[str, str]]:
    """dbt tests are asset checks too; name the failed ones (GX ones are reported from audit),
    each with its severity: a warning-level test is a warning of the summary, not an error."""
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
            (
                evaluation.severity.value.lower(),
                f"dbt test {evaluation.check_name} on {evaluation.asset_key.to_user_string()}"
                f"{count}",
            )
        )
    return failed
