"""`civcas status`, `civcas export`, and the quarantine figures of the run summary, on the bundled
build (issue 9, items 4 and 5)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from civcas.cli import main


@pytest.fixture
def published(bundled_build, monkeypatch):
    env, report = bundled_build
    monkeypatch.setenv("CIVCAS_WAREHOUSE", str(env.warehouse))
    monkeypatch.setenv("CIVCAS_LANDING_DIR", str(env.landing))
    return env, report


def _quarantined(env) -> dict[str, tuple[int, int]]:
    rows = env.query(
        "select source, count(*) filter (where status in ('quarantined', 'unreadable')),"
        " count(*) filter (where status = 'out_of_scope')"
        " from audit.rejected_records group by source"
    )
    assert env.query("select count(*) from audit.rejected_records where status = 'superseded'")[
        0
    ] == (0,)  # the bundled data holds one version of each record
    return {source: (quarantined, out_of_scope) for source, quarantined, out_of_scope in rows}


def test_superseded_records_are_counted_as_superseded_not_quarantined():
    from civcas.report import RunReport, quarantine_by_source

    con = duckdb.connect()
    con.execute("create schema audit")
    con.execute(
        "create table audit.rejected_records as select * from (values"
        " ('airwars', 'quarantined', 'civilians_killed_min: \"x\" is not a number'),"
        " ('airwars', 'superseded', 'superseded by a newer version of the incident'),"
        " ('airwars', 'superseded', 'superseded by a newer version of the incident'),"
        " ('ucdp', 'out_of_scope', 'out of scope: no civilian deaths'),"
        " ('ucdp', 'unreadable', 'line 4: unterminated quote')"
        ") as t(source, status, reason)"
    )
    held = quarantine_by_source(con)
    assert held == [("airwars", 1, 0, 2, 0), ("ucdp", 1, 1, 0, 0)]
    report = RunReport(success=True, run_id="r", warehouse="w", published=True, quarantine=held)
    assert (
        "  held in audit.rejected_records: airwars 1 quarantined + 0 out of scope + 2 superseded,"
        " ucdp 1 quarantined + 1 out of scope"
    ) in report.lines()


def test_the_summary_says_what_the_warehouse_holds_in_quarantine(published):
    env, report = published
    held = _quarantined(env)
    # 3 incidents (undated or dated 1970) and the 35 citations of those and of the codes Airwars
    # shares between incidents; the rest keeps a nulled field at most (audit.field_issues).
    assert held["airwars"] == (38, 0)
    # GED events with neither civilian nor unknown deaths are out of scope; since issue 23 none is
    # quarantined (UCDP's estimates out of order only null the estimates).
    assert held["ucdp"] == (0, 6648)  # Syria 6,141, Iraq 507 (neither civilian nor unknown deaths)
    expected = ", ".join(
        f"{source} {quarantined:,} quarantined + {out_of_scope:,} out of scope"
        for source, (quarantined, out_of_scope) in sorted(held.items())
    )
    assert f"  held in audit.rejected_records: {expected}" in report.lines()


def test_status_names_the_loads_warnings_and_quarantine(published, capsys):
    env, _ = published
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    loads, rows_in = env.query(
        "select count(*), sum(rows_in) from audit.loads where source = 'airwars'"
    )[0]
    assert f"  airwars: {loads:,} loads, {rows_in:,} rows in," in out
    held = _quarantined(env)
    assert f"kept out of the marts: {sum(map(sum, held.values())):,} records" in out
    assert f"  airwars: {held['airwars'][0]} quarantined, 0 out of scope" in out
    warnings = env.query(
        "select count(*) from audit.validation_results where not success"
        " and run_id = (select run_id from audit.validation_results"
        " order by checked_at desc limit 1)"
    )[0][0]
    assert f"warnings of the published build: {warnings}" in out
    assert "warn fct_civilian_harm_reports.parts_within_whole" in out
    assert (
        "kept with a field nulled (audit.field_issues): airwars: men_killed 5, children_killed 2,"
        " incident_date_end 1, longitude 1, women_killed 1; ucdp: low/best/high 24"
    ) in out


def test_export_parquet_with_a_data_dictionary_and_attribution(published, tmp_path, capsys):
    env, _ = published
    out = tmp_path / "dataset"
    assert main(["export", "--format", "parquet", "--out", str(out), "agg_monthly_harm"]) == 0
    exported = duckdb.sql(
        f"select sum(civilians_killed_min) from read_parquet('{out / 'agg_monthly_harm.parquet'}')"
    ).fetchone()
    published_sum = env.query("select sum(civilians_killed_min) from marts.agg_monthly_harm")
    assert exported == published_sum[0]
    with (out / "data_dictionary.csv").open(encoding="utf-8") as handle:
        rows = {(row["table"], row["column"]): row for row in csv.DictReader(handle)}
    month = rows[("agg_monthly_harm", "month")]
    assert month["type"] == "DATE"
    assert month["description"]  # from the dbt docs
    assert not any(table != "agg_monthly_harm" for table, _ in rows)
    assert "| `month` | DATE |" in (out / "DATA_DICTIONARY.md").read_text()
    assert "credit Airwars as the publisher" in (out / "ATTRIBUTION.md").read_text()


def test_export_csv_of_every_mart(published, tmp_path):
    env, _ = published
    out = tmp_path / "csv"
    assert main(["export", "--out", str(out)]) == 0
    marts = [
        row[0]
        for row in env.query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    ]
    assert sorted(path.stem for path in out.glob("*.csv") if path.stem != "data_dictionary") == (
        sorted(marts)
    )
    with (out / "fct_civilian_harm_reports.csv").open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle) - 1
    assert lines == env.query("select count(*) from marts.fct_civilian_harm_reports")[0][0]


def test_export_of_an_unknown_table_names_the_marts(published, tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path), "no_such_table"]) == 1
    err = capsys.readouterr().err
    assert "no mart named no_such_table" in err
    assert "fct_civilian_harm_reports" in err


def test_status_before_anything_is_published(civcas_env, capsys):
    assert main(["status"]) == 0
    assert "nothing published yet" in capsys.readouterr().out


def test_status_export_and_report_spill_under_the_build_folder(published, tmp_path, monkeypatch):
    """Not DuckDB's default, `<file>.tmp` beside the published release (issue 26)."""
    from civcas import published as readers
    from civcas.settings import load_settings

    opened, open_published = [], readers.open_published

    def spy(settings, **kwargs):
        con = open_published(settings, **kwargs)
        opened.append(con.execute("select current_setting('temp_directory')").fetchone()[0])
        return con

    monkeypatch.setattr(readers, "open_published", spy)
    assert main(["status"]) == 0
    assert main(["export", "--out", str(tmp_path / "csv"), "agg_monthly_harm"]) == 0
    assert main(["report", "--out", str(tmp_path / "report")]) == 0
    builds = load_settings().builds_dir
    assert len(opened) == 3
    for folder in opened:
        assert Path(folder).parent == builds and Path(folder).name.startswith(".tmp-reader-")
        assert not Path(folder).exists()  # removed once read
