"""The analyst's report: written by every publish, drawn offline in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from playwright.sync_api import Page, sync_playwright

from civcas.cli import main as civcas
from orchestration.defs.publish.analyst_report import analyst_report
from orchestration.defs.resources import WarehouseResource

CHROMIUM = "/usr/bin/chromium"
# Marks every chart of the bundled build draws at least (bands and lines, bars, map cells).
CHART_MARKS = {
    "#monthly svg.grading-all": ".band, .line",
    "#sources svg.chart": ".band, .line, .mark",
    "#map svg.map": ".cell",
    "#quality svg.chart": ".mark",
}


@pytest.fixture(scope="module")
def report_index(bundled_build) -> Path:
    env, report = bundled_build
    assert report.published
    return env.warehouse.parent / "report" / "index.html"


def _open(index: Path, check) -> None:
    """Open the report in Chromium; fail on any console error, page error, failed or non-file
    request; hand the page to `check`."""
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
        page.on(
            "request",
            lambda r: r.url.startswith("file://") or problems.append(f"network: {r.url}"),
        )
        try:
            page.goto(index.as_uri())
            check(page)
        finally:
            browser.close()
    assert problems == []


def test_every_publish_writes_the_report_beside_the_warehouse(report_index):
    html = report_index.read_text(encoding="utf-8")
    assert "<script src" not in html and "http://" not in html.split("<body", 1)[0]
    assert not (report_index.parent / "index.html.partial").exists()


def test_the_report_draws_every_chart_offline(report_index):
    def check(page: Page) -> None:
        for chart, marks in CHART_MARKS.items():
            drawn = page.locator(chart).first.locator(marks).count()
            assert drawn >= 2, f"{chart} drew {drawn} marks"
        assert page.locator("#map svg.map text", has_text="Aleppo").count() == 1
        # The bundled Airwars files, as the map's table and the freshness table show them.
        aleppo = page.locator("#map tr", has_text="Aleppo").first.inner_text().split("\t")
        assert aleppo[:2] == ["Aleppo", "SYR"] and aleppo[3] == "2,069"  # Airwars reports
        airwars = page.locator("#quality tr", has_text="airwars").last.inner_text().split("\t")
        assert airwars[0] == "airwars" and airwars[-3:] == ["58,440", "58,344", "96"]

    _open(report_index, check)


def test_the_report_shows_the_reconciled_figures(report_index):
    def check(page: Page) -> None:
        claims = page.locator("#sources").inner_text()
        assert "198" in claims  # SOHR's March 2017 coalition tally beside the event sums
        row = page.locator("#disagreements tr", has_text="Al Jina").first.inner_text()
        assert "37–62" in row and "\t50\t" in row  # Airwars' range and UCDP's figure
        assert "denied" in row
        assert page.locator("#monthly svg.grading-graded").first.is_hidden()
        page.check("input[value=graded]")
        assert page.locator("#monthly svg.grading-graded").first.is_visible()
        assert page.locator("#monthly svg.grading-all").first.is_hidden()

    _open(report_index, check)


def test_civcas_report_writes_to_the_folder_asked(bundled_build, tmp_path, capsys):
    env, _ = bundled_build
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CIVCAS_WAREHOUSE", str(env.warehouse))
        assert civcas(["report", "--out", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").stat().st_size > 10_000
    assert f"wrote {tmp_path / 'site' / 'index.html'}" in capsys.readouterr().out


def test_a_report_failure_is_logged_and_leaves_the_run_successful(tmp_path):
    not_a_database = tmp_path / "civcas.duckdb"
    not_a_database.write_text("not a DuckDB file")
    result = dg.materialize(
        [analyst_report],
        resources={"warehouse": WarehouseResource(warehouse_path=str(not_a_database))},
        raise_on_error=False,
    )
    assert result.success
    metadata = result.asset_materializations_for_node("report__analyst_report")[0].metadata
    assert metadata["written"].value is False
    assert "report not written" in metadata["error"].value
    assert not_a_database.read_text() == "not a DuckDB file"


def test_axes_use_round_steps_and_quarters_on_short_spans():
    from datetime import date

    from civcas.report_site.svg import _month_ticks, nice_ticks

    assert nice_ticks(1067) == [0, 500, 1000, 1500]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert [label for _, label in _month_ticks(date(2016, 1, 1), date(2016, 12, 1))] == [
        "2016",
        "Apr",
        "Jul",
        "Oct",
    ]
    assert [label for _, label in _month_ticks(date(2014, 9, 1), date(2026, 3, 1))][:2] == [
        "2015",
        "2017",
    ]
