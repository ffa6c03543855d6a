"""The whole code location, loaded once: as `make dev` starts it, and as a snapshot of its asset
graph, jobs, schedules and sensors (tests/snapshots/code_location.json), so that every change to
the graph is a reviewable diff. After an intended change, write the snapshot again with
`CIVCAS_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest tests/integration/test_code_location.py`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import dagster as dg
from helpers import REPO, TESTS

from orchestration.definitions import defs

SNAPSHOT = TESTS / "snapshots" / "code_location.json"
BIN = Path(sys.executable).parent


def code_location_module() -> str:
    """The module `dagster dev` (`make dev`) loads: pyproject.toml's [tool.dagster]."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["tool"]["dagster"]["module_name"]


def test_make_dev_loads_the_full_graph_with_nothing_on_path(tmp_path):
    # `dagster dev` sets DAGSTER_IS_DEV_CLI, which makes dagster-dbt prepare the dbt project;
    # a user's shell need not have .venv/bin on PATH (nor a service manager's environment).
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "DAGSTER_IS_DEV_CLI": "1",
        "DAGSTER_HOME": str(tmp_path),
    }
    assert not any(Path(folder, "dbt").exists() for folder in env["PATH"].split(":"))
    listed = subprocess.run(
        [BIN / "dagster", "asset", "list", "-m", code_location_module()],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stderr[-3000:]
    keys = {line.strip() for line in listed.stdout.splitlines() if line.strip()}
    graph = defs.resolve_asset_graph()
    materializable = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    assert keys == {key.to_user_string() for key in materializable}
    assert {"marts/fct_civilian_harm_reports", "raw/ucdp_ged_events"} <= keys


def code_location_snapshot() -> dict:
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "partitioned": node.is_partitioned,
            "materializable": node.is_materializable,
            "parents": sorted(parent.to_user_string() for parent in node.parent_keys),
        }
    checks = sorted(
        f"{check.asset_key.to_user_string()}:{check.name}" for check in graph.asset_check_keys
    )
    jobs = {
        job.name: sorted(key.to_user_string() for key in job.asset_layer.selected_asset_keys)
        for job in defs.resolve_all_job_defs()
        if not job.name.startswith("__")
    }
    schedules = {
        schedule.name: {"job": schedule.job_name, "cron": schedule.cron_schedule}
        for schedule in defs.schedules or []
    }
    sensors = {sensor.name: sensor.job_name for sensor in defs.sensors or []}
    return {
        "assets": assets,
        "asset_checks": checks,
        "jobs": jobs,
        "schedules": schedules,
        "sensors": sensors,
    }


def test_the_code_location_matches_its_snapshot(civcas_env):
    # civcas_env: no API credentials, so this is the graph `make dev` shows on a fresh clone.
    current = code_location_snapshot()
    if os.environ.get("CIVCAS_UPDATE_SNAPSHOT"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


def test_one_graph_with_or_without_credentials(civcas_env):
    # API sources are in the graph and their job is defined even with no credentials; a source
    # without them says so when it runs (tests/api/test_api_pipeline.py).
    graph = defs.resolve_asset_graph()
    api_tables = [dg.AssetKey(["raw", "ucdp_ged_events"])]
    assert all(graph.get(key).is_materializable for key in api_tables)
    assert all(graph.get(key).is_partitioned for key in api_tables)
    assert {job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")} == {
        "civcas_build",
        "civcas_api_months",
        "civcas_lake_maintenance",
    }
