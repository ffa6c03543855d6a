"""dbt's unit tests (the `unit_tests:` of the rule-heavy models) check the SQL, not the data:
production builds leave them out (orchestration/defs/transform/dbt.py, BUILD_ARGS), and this test
runs every one of them against a copy of the bundled build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civcas.dbt_manifest import read_manifest
from civcas.settings import BUILD_DB_ENV, BUILD_DIR_ENV, DBT_PROJECT_DIR
from orchestration.defs.transform.dbt import BUILD_ARGS


def test_production_builds_leave_the_unit_tests_out():
    assert BUILD_ARGS == ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]


@pytest.mark.full_runs(1)
def test_every_dbt_unit_test_passes(bundled_build, tmp_path):
    env, _ = bundled_build
    copy = tmp_path / env.warehouse.name  # the same name: the same catalog as the build's
    shutil.copyfile(env.warehouse, copy)
    target = tmp_path / "target"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "civcas-dbt"),
            *("test", "--select", "test_type:unit"),
            *("--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)),
            *("--target-path", str(target), "--log-path", str(tmp_path / "logs")),
        ],
        env={**os.environ, BUILD_DB_ENV: copy.name, BUILD_DIR_ENV: str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    declared = sorted(read_manifest()["unit_tests"])
    assert sorted(r["unique_id"] for r in results) == declared
    assert len(declared) == 20
    assert {r["status"] for r in results} == {"pass"}
