"""The whole graph materialized on the bundled Airwars data, checked against figures computed
independently from the CSV files with Python's csv module."""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from datetime import date

import dagster as dg
import duckdb
import pytest
from helpers import REPO, SAMPLE_LANDING, CivcasEnv, copy_env, incident, isolate, write_incidents

from civcas import inputs
from civcas.cli import main
from civcas.inputs import (
    UP_TO_DATE,
    code_fingerprint,
    record_published_inputs,
    record_seed_tests_passed,
    seed_tests_passed,
    up_to_date,
)
from civcas.settings import load_settings
from orchestration.defs.transform.dbt import (
    BUILD_ARGS,
    KEEP_SEEDS_ARGS,
    REBUILD_ARGS,
    SKIP_SEED_TESTS_ARGS,
    build_args,
    warms_up_validation,
)
from orchestration.instance import civcas_instance
from orchestration.run import landing_tags

MEASURES = (
    "civilians_killed",
    "children_killed",
    "women_killed",
    "men_killed",
    "civilians_injured",
)


def _accepted_incidents() -> list[dict[str, str]]:
    """The quarantine rules, re-implemented row by row on purpose: since issue 23 (degrade, never
    drop) only an undatable record or an unusable civilian figure keeps an incident out; an
    inverted end date, an impossible coordinate or a broken breakdown only nulls that field."""
    with (SAMPLE_LANDING / "airwars" / "incidents.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    accepted = []
    for row in rows:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["incident_date"]):
            continue
        day = date.fromisoformat(row["incident_date"])
        if day < date(2011, 1, 1) or day > date.today():
            continue
        figures = {}
        for measure in MEASURES:
            for bound in ("min", "max"):
                text = row[f"{measure}_{bound}"].strip()
                figures[f"{measure}_{bound}"] = int(text) if text else None
        low, high = figures["civilians_killed_min"], figures["civilians_killed_max"]
        if low is not None and high is not None and low > high:
            continue
        accepted.append({**row, **{k: v for k, v in figures.items()}})
    return accepted


def _monthly(accepted, belligerent: str | None = None):
    cells = defaultdict(lambda: [0, 0, 0])
    for row in accepted:
        names = [name.strip() for name in (row["belligerents"] or "Unknown").split(",")]
        if belligerent and belligerent not in names:
            continue
        cell = cells[row["incident_date"][:7]]
        cell[0] += 1
        cell[1] += row["civilians_killed_min"] or 0
        cell[2] += row["civilians_killed_max"] or 0
    return cells


def test_run_publishes_the_bundled_build(bundled_build):
    env, report = bundled_build
    assert report.success, report.lines()
    assert report.published
    assert env.warehouse.exists()
    assert report.validation_failures == []


def test_great_expectations_is_imported_while_dbt_builds_a_small_build(
    bundled_build, tmp_path, monkeypatch
):
    env, report = bundled_build
    # The shared build's run is in its own instance; name it, whatever an earlier test of this
    # worker left in DAGSTER_HOME.
    monkeypatch.setenv("DAGSTER_HOME", str(env.warehouse.parent.parent / "dagster_home"))
    assert _logged(report.run_id, "importing Great Expectations while dbt builds")
    assert warms_up_validation(env.warehouse)  # 71,535 landed rows
    large = tmp_path / "large.duckdb"
    con = duckdb.connect(str(large))
    con.execute("create schema raw")
    con.execute("create table raw.a as select range from range(?)", [600_000])
    con.execute("create table raw.b as select range from range(?)", [400_000])
    con.close()
    assert not warms_up_validation(large)  # 1M landed rows: no memory to spare at that size


def test_a_run_leaves_no_build_path_behind_for_later_subprocesses(bundled_build):
    # A leftover CIVCAS_BUILD_DB pointed later dbt processes of the same test worker at this
    # run's removed build (the fifth-source test failed in CI that way).
    assert "CIVCAS_BUILD_DB" not in os.environ


def test_february_2017_coalition_cell_matches_the_csv(bundled_build):
    env, _ = bundled_build
    expected = _monthly(_accepted_incidents(), "U.S.-led Coalition")["2017-02"]
    assert expected == [74, 212, 358]  # the figures quoted in the issue
    assert env.query(
        "select reports, civilians_killed_min, civilians_killed_max"
        " from marts.agg_monthly_harm_by_belligerent where month = date '2017-02-01'"
        " and country_iso3 = 'SYR' and source = 'airwars' and belligerent_id = 'us_led_coalition'"
    ) == [(74, 212, 358)]


def test_every_month_of_agg_monthly_harm_matches_the_csv(bundled_build):
    env, _ = bundled_build
    expected = {month: tuple(cell) for month, cell in _monthly(_accepted_incidents()).items()}
    found = {
        month.strftime("%Y-%m"): (reports, low, high)
        for month, reports, low, high in env.query(
            "select month, reports, civilians_killed_min, civilians_killed_max"
            " from marts.agg_monthly_harm where source = 'airwars' and country_iso3 = 'SYR'"
        )
    }
    assert found == expected
    assert found["2015-10"] == expected["2015-10"]  # first month of the Russian campaign
    assert len(found) > 100


def test_quarantine_of_the_real_data(bundled_build):
    env, _ = bundled_build
    accepted = _accepted_incidents()
    assert len(accepted) == 8111
    assert env.query(
        "select count(*) from marts.fct_civilian_harm_reports where source = 'airwars'"
    ) == [(8111,)]
    reasons = dict(
        env.query(
            "select reason, count(*) from audit.rejected_records"
            " where record_key like 'airwars_id=%' group by reason"
        )
    )
    assert reasons["incident_date is empty"] == 2
    assert (
        reasons["incident_date 1970-01-01 is before 2011-01-01, impossible for this conflict"] == 1
    )
    assert sum(reasons.values()) == 8114 - 8111
    # Kept, with the field nulled (issue 23: no record is kept out for a secondary field).
    issues = dict(
        env.query(
            "select reason, count(*) from audit.field_issues where source = 'airwars'"
            " group by reason"
        )
    )
    assert issues["incident_date_end 2017-02-04 is before incident_date 2017-04-03"] == 1
    assert sum(count for reason, count in issues.items() if "exceeds" in reason) == 8
    # A typo in the export (airwars_id 32716, CS1033): a longitude of 4239.00416.
    assert issues["longitude '4239.00416' is not a number between -180 and 180"] == 1
    assert sum(issues.values()) == 10


def test_loads_are_conserved(bundled_build):
    env, _ = bundled_build
    loads = env.query(
        "select source_file, rows_in, rows_accepted, rows_rejected from audit.loads"
        " where source = 'airwars' order by source_file"
    )
    assert loads == [
        ("airwars/incident_sources.csv", 50326, 50326 - loads[0][3], loads[0][3]),
        ("airwars/incidents.csv", 8114, 8111, 3),
    ]
    cited = env.query(
        "select count(*) from marts.fct_report_citations where report_id like 'airwars:%'"
    )[0][0]
    assert cited == loads[0][2]


def test_parts_within_the_whole_are_flagged_not_dropped(bundled_build):
    env, _ = bundled_build
    flagged = env.query(
        "select count(*) from marts.fct_civilian_harm_reports"
        " where source = 'airwars' and not counts_consistent"
    )[0][0]
    # 48 in the export; 2 of them also have a part whose minimum exceeds its maximum: that part
    # is nulled (audit.field_issues), and what is left no longer exceeds the whole.
    assert flagged == 46
    warning = env.query(
        "select severity, success, unexpected_count from audit.validation_results"
        " where suite = 'fct_civilian_harm_reports' and expectation = 'parts_within_whole'"
    )
    assert warning == [("warn", False, 46)]


def test_validation_results_recorded_for_the_run(bundled_build):
    env, report = bundled_build
    rows = env.query(
        "select count(*), count(*) filter (where severity = 'error' and not success)"
        " from audit.validation_results where run_id = ?",
        [report.run_id],
    )
    assert rows[0][0] == 28  # every expectation of the bundled build, once
    assert rows[0][1] == 0
    assert (env.warehouse.parent / "data_docs" / "index.html").exists()


def test_dimensions(bundled_build):
    env, _ = bundled_build
    syrian = env.query("select count(*) from marts.dim_admin1 where country_iso3 = 'SYR'")
    assert syrian == [(14,)]
    accepted = _accepted_incidents()
    alleged = {
        name: sum(name in [n.strip() for n in row["belligerents"].split(",")] for row in accepted)
        for name in ("Russian Military", "U.S.-led Coalition")
    }
    assert env.query(
        "select belligerent_id, count(*) from marts.bridge_report_belligerents"
        " where report_id like 'airwars:%'"
        " and belligerent_id in ('russian_military', 'us_led_coalition')"
        " group by all order by 1"
    ) == [
        ("russian_military", alleged["Russian Military"]),
        ("us_led_coalition", alleged["U.S.-led Coalition"]),
    ]


def _last_run_of(asset: list[str]) -> str | None:
    """The run that last materialized `asset` in this test's Dagster instance."""
    records = civcas_instance().fetch_materializations(dg.AssetKey(asset), limit=1).records
    return records[0].run_id if records else None


def _sources_check_runs() -> list[tuple[str, str]]:
    """(run, status) of the last execution of a mart's relationships test to seeds/sources.csv."""
    check = civcas_instance().event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(
            dg.AssetKey(["marts", "fct_civilian_harm_reports"]),
            "relationships_fct_civilian_harm_reports_source__source__ref_sources_",
        )]
    )  # fmt: skip
    return [(record.run_id, record.status.value) for record in check.values()]


@pytest.fixture
def bundled_copy(bundled_build, tmp_path, monkeypatch) -> CivcasEnv:
    """A copy of the shared bundled build, with a Dagster instance of its own, to run again."""
    env, first = bundled_build
    assert first.success, first.lines()
    return copy_env(env, tmp_path, monkeypatch, run_history="keep")


@pytest.mark.full_runs(2)
def test_landing_the_same_files_again_changes_nothing(bundled_copy):
    env = bundled_copy
    before = env.query("select count(*) from audit.loads")
    facts = env.query(
        "select count(*), sum(civilians_killed_max) from marts.fct_civilian_harm_reports"
    )
    published = env.warehouse.resolve()
    report = env.run(tags=landing_tags())  # as `civcas run` does: the publish records them
    # Nothing landed, same code: up to date inside Dagster too; nothing built or published.
    assert report.success and report.up_to_date and not report.published, report.lines()
    assert report.lines()[0].endswith("succeeded; up to date: nothing landed, warehouse unchanged")
    assert env.warehouse.resolve() == published
    assert env.query("select count(*) from audit.loads") == before
    assert (
        env.query("select count(*), sum(civilians_killed_max) from marts.fct_civilian_harm_reports")
        == facts
    )
    assert _last_run_of(["marts", "fct_civilian_harm_reports"]) != report.run_id
    # One new file: the same code published the warehouse this build copied, so its seeds were
    # kept, not loaded and tested again (no run of this instance materialized them); the marts
    # were built again.
    write_incidents(
        env.landing, "incidents_new.csv", [incident(incident_code="CS9003", airwars_id="900004")]
    )
    report = env.run(tags=landing_tags())
    assert report.success and report.published, report.lines()
    assert report.rows_landed == 1
    assert _last_run_of(["seeds", "countries"]) is None
    assert _last_run_of(["marts", "fct_civilian_harm_reports"]) == report.run_id
    # A mart's tests against a kept seed still run (its source is a row of seeds/sources.csv).
    assert _sources_check_runs() == [(report.run_id, "SUCCEEDED")]
    with (REPO / "dbt_project" / "seeds" / "countries.csv").open(encoding="utf-8") as handle:
        assert env.query("select count(*) from seeds.countries") == [(sum(1 for _ in handle) - 1,)]


def test_seeds_are_loaded_again_unless_this_code_published_the_build(tmp_path):
    build, marker = tmp_path / "build.duckdb", tmp_path / "seed_tests_passed"
    rebuild = BUILD_ARGS + REBUILD_ARGS
    assert build_args(build, False, "code-1", marker) == rebuild  # nothing published yet
    con = duckdb.connect(str(build))
    record_published_inputs(con, "run-1", None)
    con.close()
    code = code_fingerprint()
    # Only a warehouse this code published is built on incrementally, its seeds kept.
    assert build_args(build, False, code, marker) == BUILD_ARGS + KEEP_SEEDS_ARGS
    assert build_args(build, True, code, marker) == rebuild  # civcas run --full
    assert build_args(build, False, "other code", marker) == rebuild
    # Seeds whose tests passed for this code: loaded, their tests left out; other code tests them.
    record_seed_tests_passed("other code", marker)
    assert seed_tests_passed("other code", marker) and not seed_tests_passed(code, marker)
    assert build_args(build, False, "other code", marker) == rebuild + SKIP_SEED_TESTS_ARGS
    assert build_args(build, False, "code-3", marker) == rebuild
    assert build_args(build, True, "other code", marker) == rebuild
    assert build_args(build, False, code, marker) == BUILD_ARGS + KEEP_SEEDS_ARGS
    # A marker that cannot be written (a read-only checkout) is no error.
    assert not record_seed_tests_passed(code, tmp_path / "build.duckdb" / "seed_tests_passed")
    assert not seed_tests_passed(code, tmp_path / "build.duckdb" / "seed_tests_passed")


def _logged(run_id: str, text: str) -> bool:
    return any(text in (entry.user_message or "") for entry in civcas_instance().all_logs(run_id))


@pytest.mark.full_runs(2)
def test_a_full_run_tests_the_seeds_and_a_fresh_build_then_only_loads_them(
    one_incident_copy, tmp_path, monkeypatch, capsys
):
    # With nothing new and the same code, --full is up to date too: nothing built or published.
    env = one_incident_copy
    monkeypatch.setenv("CIVCAS_RUN_HISTORY", "keep")  # the runs are read back from the instance
    release = env.warehouse.resolve()
    assert main(["run", "--full"]) == 0
    assert capsys.readouterr().out.splitlines() == [UP_TO_DATE]
    assert env.warehouse.resolve() == release and _last_run_of(["seeds", "countries"]) is None
    # Something new: --full builds everything again, of the one source named; this run loads
    # and tests the seeds too.
    write_incidents(
        env.landing, "incidents_2021.csv", [incident(incident_code="CS9001", airwars_id="900002")]
    )
    assert main(["run", "--full", "--source", "airwars"]) == 0
    full_run = _last_run_of(["marts", "fct_civilian_harm_reports"])
    assert f"run {full_run}: succeeded; published" in capsys.readouterr().out
    assert env.warehouse.resolve() != release
    assert _last_run_of(["seeds", "countries"]) == full_run
    assert seed_tests_passed(code_fingerprint())
    # A run of one source records the whole folder as published: the next plain run, and the
    # next of that source, have nothing to do (issue 26: it rebuilt once).
    release = env.warehouse.resolve()
    assert main(["run"]) == 0
    assert main(["run", "--source", "airwars"]) == 0
    assert capsys.readouterr().out.splitlines() == [UP_TO_DATE, UP_TO_DATE]
    assert env.warehouse.resolve() == release
    # A build from an empty warehouse loads the seeds; their tests passed for this code already.
    fresh = tmp_path / "fresh"
    write_incidents(fresh / "landing", "incidents.csv", [incident()])
    env = isolate(monkeypatch, fresh / "landing", fresh / "warehouse" / "civcas.duckdb", "keep")
    report = env.run()
    assert report.success, report.lines()
    assert _last_run_of(["seeds", "countries"]) == report.run_id
    assert _logged(report.run_id, "seeds loaded; their tests left out: they passed for this code")
    assert not _logged(report.run_id, "seeds kept")
    assert env.query("select count(*) from seeds.sources where summed") == [(4,)]
    assert _sources_check_runs() == [(report.run_id, "SUCCEEDED")]


def test_a_run_with_nothing_new_says_so_and_publishes_nothing(bundled_copy, capsys):
    env = bundled_copy
    assert up_to_date(load_settings())  # shared builds are tagged as `civcas run` tags them
    published = env.warehouse.stat()
    assert main(["run"]) == 0
    assert capsys.readouterr().out.splitlines() == [UP_TO_DATE]
    # Whatever the command line: one source, or API months without credentials (issue 26).
    assert main(["run", "--source", "airwars"]) == 0
    assert capsys.readouterr().out.splitlines() == [UP_TO_DATE]
    assert main(["run", "--source", "ucdp", "--month", "2017-03"]) == 0
    skipped, *rest = capsys.readouterr().out.splitlines()
    assert skipped.startswith("ucdp: skipped: UCDP_ACCESS_TOKEN is not set")
    assert rest == [UP_TO_DATE]
    after = env.warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    # A file touched is read again and found unchanged; a changed byte, or a foreign WAL beside
    # the published file, needs a run again.
    landed = env.landing / "airwars" / "incidents.csv"
    times = landed.stat()
    os.utime(landed, ns=(times.st_atime_ns, times.st_mtime_ns + 1_000_000_000))
    assert up_to_date(load_settings())
    content = landed.read_bytes()
    landed.write_bytes(content[:-2] + (b"x" if content[-2:-1] != b"x" else b"y") + content[-1:])
    assert not up_to_date(load_settings())
    # Only the files of the sources a run names count.
    assert not up_to_date(load_settings(), sources=["airwars"])
    assert up_to_date(load_settings(), sources=["ucdp_ged", "ucdp"])
    landed.write_bytes(content)
    # Other code is never up to date, whatever the sources.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inputs, "code_fingerprint", lambda: "other code")
        assert not up_to_date(load_settings())
        assert not up_to_date(load_settings(), sources=["ucdp_ged"])
    assert up_to_date(load_settings())
    wal = env.warehouse.with_name(env.warehouse.name + ".wal")
    wal.write_bytes(b"")
    assert not up_to_date(load_settings())
    wal.unlink()
