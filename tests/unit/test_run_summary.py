"""What `civcas run` prints after a failure is true and plain (issue 27, item 16): no "0 rows
landed" for rows that were landed, a warning-level dbt test as a warning, no colour codes."""

from __future__ import annotations

from types import SimpleNamespace

import dagster as dg
import duckdb

from civcas import warehouse as wh
from civcas.report import RunReport, summarize_build
from civcas.settings import Settings
from ingestion.landing import ensure_load_log
from orchestration.run import _failed_dbt_tests


def _failed_report(**fields) -> RunReport:
    return RunReport(success=False, run_id="r1", warehouse="w", published=False, **fields)


def test_a_failed_build_counts_what_it_landed_from_its_load_log(tmp_path):
    settings = Settings(warehouse=tmp_path / "civcas.duckdb", landing_dir=tmp_path)
    build = wh.build_path(settings, "r1")
    build.parent.mkdir(parents=True)
    con = duckdb.connect(str(build))
    ensure_load_log(con)  # landed; dbt failed before audit.loads was built
    con.execute("insert into raw._loads values ('L1', 'airwars', 'f.csv', 'x', 8102, now(), null)")
    con.close()
    report = _failed_report()
    summarize_build(report, settings, "r1", ["L1"])
    assert (
        "  this run: 8,102 rows landed into its build, none published; kept out of the marts"
        " not counted (the build failed before audit.loads)" in report.lines()
    )
    assert not any("0 rows landed" in line for line in report.lines())


def test_colour_codes_of_a_pasted_log_are_removed():
    report = _failed_report(errors=["dbt: \x1b[31mDatabase Error\x1b[0m in model x"])
    assert "  error: dbt: Database Error in model x" in report.lines()
    assert not any("\x1b" in line for line in report.lines())


def test_a_warning_level_dbt_test_is_a_warning():
    def evaluation(name: str, severity: dg.AssetCheckSeverity):
        data = SimpleNamespace(
            passed=False,
            check_name=name,
            metadata={},
            severity=severity,
            asset_key=dg.AssetKey(["marts", "fct"]),
        )
        return SimpleNamespace(
            event_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, event_specific_data=data
        )

    result = SimpleNamespace(
        all_events=[
            evaluation("not_null_x", dg.AssetCheckSeverity.WARN),
            evaluation("unique_y", dg.AssetCheckSeverity.ERROR),
        ]
    )
    assert _failed_dbt_tests(result) == [
        ("warn", "dbt test not_null_x on marts/fct"),
        ("error", "dbt test unique_y on marts/fct"),
    ]
