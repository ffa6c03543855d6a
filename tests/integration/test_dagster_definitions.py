"""The Dagster code location: graph shape, checks, schedule, sensor and executor."""

from __future__ import annotations

import io
import subprocess
import sys
from types import SimpleNamespace

import dagster as dg
import duckdb
from helpers import incident, write_incidents

from civcas.dbt_manifest import read_manifest
from civcas.inputs import record_published_inputs
from orchestration.definitions import defs
from orchestration.defs.transform.dbt import UntrackedTests
from orchestration.progress import DBT_STEP, PhaseHandler
from orchestration.run_tags import FINGERPRINT_TAG

PUBLISHED = dg.AssetKey(["published", "civcas_warehouse"])


def test_graph_runs_from_raw_through_dbt_to_the_published_warehouse():
    graph = defs.resolve_asset_graph()
    fact = dg.AssetKey(["marts", "fct_civilian_harm_reports"])
    staging = dg.AssetKey(["staging", "stg_airwars__incidents"])
    assert dg.AssetKey(["raw", "airwars_incidents"]) in graph.get(staging).parent_keys
    assert fact in graph.get(PUBLISHED).parent_keys
    assert fact in graph.get(dg.AssetKey(["marts", "agg_monthly_harm"])).parent_keys


def test_expectations_are_asset_checks_and_errors_block():
    graph = defs.resolve_asset_graph()
    specs = {key.name: graph.get_check_spec(key) for key in graph.asset_check_keys}
    blocking = specs["gx__incident_plausibility__civilians_killed_max_plausible"]
    assert blocking.blocking
    assert blocking.asset_key == dg.AssetKey(["marts", "fct_civilian_harm_reports"])
    assert not specs["gx__fct_civilian_harm_reports__parts_within_whole"].blocking
    assert any(name.startswith("unique_") or "not_null" in name for name in specs)  # dbt tests
    # Row rules are dbt tests, checks of the mart they are about.
    assert specs["harm_figures_min_within_max"].asset_key == blocking.asset_key


def test_dbt_tests_are_asset_checks_on_marts_and_audit_and_counted_elsewhere():
    manifest = read_manifest()
    graph = defs.resolve_asset_graph()
    dbt_checks = {key.name for key in graph.asset_check_keys if not key.name.startswith("gx__")}
    layer = {
        node["name"]: manifest["nodes"][node["attached_node"]]["config"]["schema"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node")
    }
    assert dbt_checks == {name for name, schema in layer.items() if schema in {"marts", "audit"}}
    assert len(dbt_checks) == 100
    test_in = {
        layer.get(node["name"]): uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test"
    }
    staging_test = test_in["staging"]
    untracked = UntrackedTests(manifest)
    result = {"info": {"name": "LogTestResult"}, "data": {"num_failures": 3}}
    result["data"]["node_info"] = {"unique_id": staging_test, "node_status": "fail"}
    assert untracked.counted(SimpleNamespace(raw_event=result))
    assert untracked.failed == [f"dbt test {staging_test.split('.')[2]} (3 failing rows)"]
    # A test whose query failed (out of memory at 1M) is not said to have found bad rows.
    errored = {"info": {"name": "LogTestResult"}, "data": {"num_failures": 0}}
    errored["data"]["node_info"] = {"unique_id": staging_test, "node_status": "error"}
    assert untracked.counted(SimpleNamespace(raw_event=errored))
    assert untracked.failed[1].endswith("could not run: see dbt.log in the kept build's folder")
    mart_test = {"info": {"name": "LogTestResult"}, "data": {"node_info": {}}}
    mart_test["data"]["node_info"] = {"unique_id": test_in["marts"]}
    assert not untracked.counted(SimpleNamespace(raw_event=mart_test))
    handler = PhaseHandler(stream=io.StringIO())
    handler._count_untracked_tests(dict(untracked.outcomes))
    assert handler._checks(DBT_STEP) == "0 passed, 0 warnings, 2 errors"


def test_schedule_and_sensor_target_the_build_job():
    schedule = defs.resolve_schedule_def("civcas_daily_build")
    assert schedule.cron_schedule == "0 5 * * *"
    assert schedule.job_name == "civcas_build"
    assert defs.resolve_sensor_def("civcas_landing_sensor").job_name == "civcas_build"


def test_sensor_starts_a_run_only_when_the_landing_folder_changes(civcas_env):
    sensor = defs.resolve_sensor_def("civcas_landing_sensor")
    resources = {"warehouse": defs.resources["warehouse"]}
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            run = sensor(context)
        assert isinstance(run, dg.RunRequest)
        # Seen once the published warehouse was built from these files.
        civcas_env.warehouse.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(civcas_env.warehouse))
        record_published_inputs(con, "run", run.tags[FINGERPRINT_TAG])
        con.close()
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            again = sensor(context)
        assert isinstance(again, dg.SkipReason)
        write_incidents(civcas_env.landing, "incidents_2.csv", [incident(airwars_id="2")])
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            new_file = sensor(context)
        assert isinstance(new_file, dg.RunRequest)
        assert new_file.tags[FINGERPRINT_TAG] != run.tags[FINGERPRINT_TAG]


def test_jobs_run_their_steps_one_at_a_time_in_the_run_process():
    # tests/integration/test_operator_dagster.py runs civcas_build end to end under a real
    # dagster-daemon.
    for job in defs.resolve_all_job_defs():
        if not job.name.startswith("__"):
            assert job.executor_def is dg.in_process_executor, job.name


def test_loading_the_definitions_changes_nothing_on_disk_or_in_the_environment():
    code = (
        "import os, civcas.dbt_manifest as m; path, mtime = os.environ['PATH'], "
        "m.MANIFEST.stat().st_mtime_ns; import orchestration.definitions;"
        " print(os.environ['PATH'] == path, m.MANIFEST.stat().st_mtime_ns == mtime)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_civcas_run_prints_a_live_count_of_dbt_nodes_from_structured_data():
    import logging

    from orchestration.defs.transform.dbt import PROGRESS_EXTRA, BuildProgress

    logged = []

    class Log:
        def info(self, message, extra):
            logged.append(extra[PROGRESS_EXTRA])

    progress = BuildProgress(Log(), interval=0)
    model = {"info": {"name": "LogModelResult"}, "data": {"index": 1, "total": 3}}
    test = {"info": {"name": "LogTestResult"}, "data": {"index": 2, "num_models": 3}}
    for event in (model, {"info": {"name": "NodeStart"}, "data": {}}, test, test):
        progress.saw(event)
    assert logged[-1] == {"done": 3, "total": 3, "built": 1, "tested": 2}
    assert logged[0] == {"done": 1, "total": 3, "built": 1, "tested": 0}  # a copy, not a view
    out = io.StringIO()
    record = logging.makeLogRecord({"msg": "dbt: 3/3 nodes done", PROGRESS_EXTRA: logged[-1]})
    PhaseHandler(stream=out).emit(record)
    assert out.getvalue() == "  dbt: 3/3 nodes: 1 models and seeds built, 2 tests\n"


def test_civcas_run_names_the_source_of_a_landing_step_from_the_registry():
    import logging

    def emit(step, kind, metadata=None):
        materialization = SimpleNamespace(metadata=metadata or {})
        event = SimpleNamespace(
            step_key=step,
            event_type=kind,
            event_specific_data=SimpleNamespace(materialization=materialization),
        )
        record = logging.makeLogRecord({"dagster_meta": {"dagster_event": event}})
        handler.emit(record)

    out = io.StringIO()
    handler = PhaseHandler(stream=out)
    landed = {"files_landed": 2, "files_skipped": 1, "rows_landed": 13082, "files_not_landed": 1}
    emit("land_ucdp_ged", dg.DagsterEventType.ASSET_MATERIALIZATION,
         {name: dg.MetadataValue.int(value) for name, value in landed.items()})  # fmt: skip
    emit("land_ibc", dg.DagsterEventType.STEP_FAILURE)
    emit("land_nowhere", dg.DagsterEventType.STEP_FAILURE)  # not a source's landing step
    assert out.getvalue().splitlines() == [
        "  landing ucdp_ged: 2 new files (13082 rows), 1 landed before, 1 not landed (see below)",
        "  landing ibc: FAILED",
    ]
