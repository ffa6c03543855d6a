"""The recipe of docs/architecture.md, "Adding a file-drop source", followed once: a copy of the
repository gets a fifth source (tests/fixtures/fifth_source/: one ingestion module, one row of
seeds/sources.csv, one defs.yaml, one entry of var('report_sources'), a staging folder and an
intermediate folder) and nothing else; one run lands its reports in the marts and its rejects in
audit.rejected_records."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, SECRET_ENV, query

FIXTURE = REPO / "tests" / "fixtures" / "fifth_source"
CODE = ("civcas", "ingestion", "orchestration", "expectations", "dbt_project", "pyproject.toml")
IGNORED = shutil.ignore_patterns("target", "logs", "__pycache__", ".user.yml")


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected one '{old}'"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _repository_with_a_fifth_source(root: Path) -> Path:
    repo = root / "repo"
    for name in CODE:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, repo / name, ignore=IGNORED)
        else:
            shutil.copy(REPO / name, repo / name)
    shutil.copytree(FIXTURE / "ingestion", repo / "ingestion", dirs_exist_ok=True)
    shutil.copytree(FIXTURE / "dbt_project", repo / "dbt_project", dirs_exist_ok=True)
    shutil.copytree(FIXTURE / "orchestration", repo / "orchestration", dirs_exist_ok=True)
    # The one-line registration: its row of the sources seed (the registry reads it).
    with (repo / "dbt_project" / "seeds" / "sources.csv").open("a", encoding="utf-8") as seed:
        seed.write("monitor,file_drop,true,A local monitor's casualty reports (CSV)\n")
    # Its precision words on the common scale (docs/reconciliation.md).
    with (repo / "dbt_project" / "seeds" / "precision_codes.csv").open(
        "a", encoding="utf-8"
    ) as seed:
        seed.write("monitor,date,day,day\nmonitor,geo,(not stated),town\n")
    _replace_once(
        repo / "dbt_project" / "dbt_project.yml",
        "  report_sources:\n",
        "  report_sources:\n    monitor: {staged: [reports], triaged: [reports]}\n",
    )
    return repo


@pytest.mark.full_runs(2)
def test_a_fifth_file_drop_source_reaches_the_marts_and_the_audit(tmp_path):
    repo = _repository_with_a_fifth_source(tmp_path)
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse" / "civcas.duckdb"
    shutil.copytree(FIXTURE / "landing", landing)
    env = {name: value for name, value in os.environ.items() if name not in SECRET_ENV}
    env |= {
        "PYTHONPATH": str(repo),  # the copy's packages, ahead of the editable install
        "CIVCAS_LANDING_DIR": str(landing),
        "CIVCAS_WAREHOUSE": str(warehouse),
        "CIVCAS_RUN_HISTORY": "none",  # nothing here reads the run back from an instance
    }
    env.pop("DAGSTER_HOME", None)
    script = (
        "from civcas.dbt_manifest import ensure_manifest; ensure_manifest();"
        "from orchestration.run import run_pipeline;"
        "report = run_pipeline(log_level='WARNING');"
        "print('published' if report.published else 'not published: ' + ' | '.join(report.errors))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "published", done.stdout[-3000:]

    reports = query(
        warehouse,
        "select report_id, source, event_date::varchar, country_iso3, civilians_killed_min"
        " from marts.fct_civilian_harm_reports order by report_id",
    )
    assert reports == [
        ("monitor:M-1", "monitor", "2017-03-17", "SYR", 4),
        ("monitor:M-2", "monitor", "2017-03-18", "SYR", 7),
    ]
    belligerents = query(
        warehouse,
        "select report_id, belligerent_id from marts.bridge_report_belligerents order by 1",
    )
    assert belligerents == [
        ("monitor:M-1", "us_led_coalition"),
        ("monitor:M-2", "russian_military"),
    ]
    rejected = query(
        warehouse,
        "select source, source_file, row_number, record_key, reason"
        " from audit.rejected_records order by row_number",
    )
    assert rejected == [
        ("monitor", "monitor/reports_2017.csv", 3, "report_no=M-3",
         "country 'Atlantis' is not in seeds/countries.csv"),
        ("monitor", "monitor/reports_2017.csv", 4, "report_no=M-4",
         "date '2017-03-40' is not a date (YYYY-MM-DD); killed is not a whole number ('many')"),
    ]  # fmt: skip
    assert query(
        warehouse,
        "select source, rows_in, rows_landed, rows_rejected, rows_in_marts"
        " from audit.load_reconciliation",
    ) == [("monitor", 4, 4, 2, 2)]
