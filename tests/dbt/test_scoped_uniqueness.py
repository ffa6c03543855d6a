"""The uniqueness test with a `stamp` (dbt_project/tests/generic/unique_combination_of_columns.sql):
in an incremental `dbt build` it checks only the combinations rows written by this build hold,
across every row holding them; `dbt test` and `--full-refresh` builds check the whole table."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from civcas.dbt_manifest import dbt_command_on

TEST = "unique_combination_of_columns_int_citations__prepared_report_id__citation_order__built_at"
# Written "by this build": stamped after the build started (any build started before 2100).
THIS_BUILD = "'2100-01-01'::timestamptz"


def _copy_with_a_repeat(env, folder: Path, stamp: str) -> Path:
    """A copy of the bundled build whose int_citations__prepared repeats one old row, stamped."""
    folder.mkdir()
    copy = folder / env.warehouse.name  # the same name: the same catalog as the build's
    shutil.copyfile(env.warehouse, copy)
    con = duckdb.connect(str(copy))
    con.execute(
        "insert into intermediate.int_citations__prepared"
        f" select * replace ({stamp} as built_at) from intermediate.int_citations__prepared"
        " order by report_id, citation_order limit 1"
    )
    con.close()
    return copy


def _failures(copy: Path, *command: str) -> int:
    """Rows the test finds failing when dbt runs it alone with `command` (build or test)."""
    # Start from `make setup`'s parse, as runs do, rather than parse the project again (10 s).
    dbt, env = dbt_command_on(copy, *command, "--select", TEST)
    done = subprocess.run(dbt, env=env, capture_output=True, text=True, timeout=600)
    target = copy.parent / "target"
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    assert [r["unique_id"].split(".")[2] for r in results] == [TEST], done.stdout[-2000:]
    return results[0]["failures"]


@pytest.mark.full_runs(1)
def test_a_written_row_repeating_an_old_one_fails_the_build(bundled_build, tmp_path):
    env, _ = bundled_build
    copy = _copy_with_a_repeat(env, tmp_path / "new_repeats_old", THIS_BUILD)
    assert _failures(copy, "build") == 1


@pytest.mark.full_runs(1)
def test_repeats_among_old_rows_are_left_to_whole_table_checks(bundled_build, tmp_path):
    env, _ = bundled_build
    copy = _copy_with_a_repeat(env, tmp_path / "old_repeats_old", "built_at")
    assert _failures(copy, "build") == 0  # neither row was written by this build
    assert _failures(copy, "test") == 1
    assert _failures(copy, "build", "--full-refresh") == 1
