"""The analyst's report: written by every publish, used offline in headless Chromium as an analyst
would (filter, hover, click through to a month's reports and an event's citations, a phone's
width), its figures checked against SQL on the warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from playwright.sync_api import Browser, Page

from civcas.cli import main as civcas
from orchestration.defs.publish.analyst_report import analyst_report
from orchestration.defs.resources import WarehouseResource

PHONE_WIDTH = 400
# The issue's own example: Airwars' Turkish panel, 416 civilians killed (minima) in March 2018,
# then no report until November 2018.
BELLIGERENT, SOURCE, MONTH = "turkish_military", "airwars", "2018-03"


@pytest.fixture(scope="module")
def report_index(bundled_build) -> Path:
    env, report = bundled_build
    assert report.published
    return env.warehouse.parent / "report" / "index.html"


@pytest.fixture(scope="module")
def warehouse(bundled_build):
    env, _ = bundled_build
    return env


def _browse(browser: Browser, check: Callable[[Page], None], width: int = 1240) -> None:
    """Run `check` on a page of a fresh browser context; fail on any console error, page error,
    failed request or request leaving the machine (only file:// URLs may load)."""
    problems: list[str] = []
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on(
        "request",
        lambda r: r.url.startswith("file://") or problems.append(f"network: {r.url}"),
    )
    try:
        check(page)
    finally:
        context.close()
    assert problems == []


def _open_index(page: Page, index: Path) -> None:
    page.goto(index.as_uri())
    page.wait_for_selector("body[data-ready=true]")


def _filter(page: Page, **choices: str) -> None:
    for name, value in choices.items():
        page.select_option(f"select[name={name}]", value)
    page.wait_for_function(
        "document.querySelectorAll('#monthly-chart g.mark-symbol path').length > 0"
    )


def test_every_publish_writes_the_report_beside_the_warehouse(report_index):
    html = report_index.read_text(encoding="utf-8")
    assert '<script src="static/vega.js"></script>' in html
    assert "http://" not in html.split("<body", 1)[0] and "https://" not in html.split("<body")[0]
    site = report_index.parent
    assert (site / "static" / "vega.js").stat().st_size > 500_000  # Vega, bundled, not linked
    assert (site / "months" / f"{MONTH}.html").exists()
    assert (site / "events" / f"{MONTH}.html").exists()
    assert not list(site.rglob("*.partial"))


def test_filter_hover_and_click_through_to_a_months_reports_and_an_events_citations(
    browser, report_index, warehouse
):
    reports, killed_min, killed_max = warehouse.query(
        "select reports, civilians_killed_min, civilians_killed_max"
        " from marts.agg_monthly_harm_by_belligerent"
        " where source = ? and belligerent_id = ? and month = ?",
        [SOURCE, BELLIGERENT, f"{MONTH}-01"],
    )[0]
    cited_report, first_url = warehouse.query(
        "select c.report_id, c.url from reporting.rpt_citations as c"
        " join reporting.rpt_reports as r using (report_id)"
        " where r.source = ? and r.month = ? and list_contains(r.belligerent_ids, ?)"
        " and c.url is not null order by c.report_id, c.citation_order limit 1",
        [SOURCE, f"{MONTH}-01", BELLIGERENT],
    )[0]

    def check(page: Page) -> None:
        _open_index(page, report_index)
        _filter(page, belligerent=BELLIGERENT, source=SOURCE)
        point = page.locator(
            f"#monthly-chart g.mark-symbol path[aria-label*='href: months/{MONTH}.html?']"
        )
        point.hover()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible")
        assert "March 2018" in tooltip.inner_text()
        assert f"{killed_min:,}" in tooltip.inner_text()  # 416
        assert f"{killed_max:,}" in tooltip.inner_text()
        point.click()
        page.wait_for_url(f"**/months/{MONTH}.html?*")
        assert page.locator("#sums li").all_inner_texts() == [
            f"{SOURCE}: {reports:,} incident reports, civilians killed"
            f" {killed_min:,}–{killed_max:,} (sum of minima to sum of maxima)"
        ]
        assert page.locator("#reports-table tbody tr:visible").count() == reports
        page.locator("#reports-table tbody tr:visible a", has_text=cited_report).click()
        page.wait_for_url("**/events/*.html#*")
        event = page.locator("article.event:visible")
        assert event.count() == 1  # the event's own page: the others of the month are hidden
        assert event.locator(f"tr[id='{cited_report}']").count() == 1
        citation = event.locator(".citations li", has=page.locator(f"a[href='{first_url}']"))
        assert cited_report in citation.first.inner_text()

    _browse(browser, check)


def test_a_month_without_report_is_a_gap_not_a_line(browser, report_index, warehouse):
    reported = {
        f"{month:%Y-%m}"
        for (month,) in warehouse.query(
            "select month from marts.agg_monthly_harm_by_belligerent"
            " where source = ? and belligerent_id = ? and month between '2018-03-01'"
            " and '2018-11-01'",
            [SOURCE, BELLIGERENT],
        )
    }
    assert reported == {"2018-03", "2018-11"}

    def check(page: Page) -> None:
        _open_index(page, report_index)
        series = page.evaluate(
            "civcas.monthlySeries(JSON.parse(document.getElementById('report-data').textContent),"
            f" {{country: 'all', belligerent: '{BELLIGERENT}', source: '{SOURCE}',"
            " grading: 'all', from: '2018-03', to: '2018-11'})"
        )
        figures = {row["month"][:7]: row["killed_min"] for row in series}
        assert figures["2018-03"] == 416 and figures["2018-11"] == 1
        assert [figures[f"2018-{m:02}"] for m in range(4, 11)] == [None] * 7

    _browse(browser, check)


def test_the_map_shades_every_governorate_with_reports_and_zooms(browser, report_index, warehouse):
    by_area = dict(
        warehouse.query(
            "select admin1_code, count(*) from marts.fct_civilian_harm_reports"
            " where admin1_code is not null group by all"
        )
    )
    assert by_area["SY-DI"] > 0  # Damascus: a small area, with reports
    iraq_in_march = warehouse.query(
        "select count(*) from marts.fct_civilian_harm_reports where admin1_code = 'IQ-NI'"
        " and date_trunc('month', event_date) = '2017-03-01'"
    )[0][0]
    assert iraq_in_march > 0
    ((ucdp_reports, ucdp_min, ucdp_max),) = warehouse.query(
        "select reports, civilians_killed_min, civilians_killed_max from marts.agg_monthly_harm"
        " where country_iso3 = 'IRQ' and month = '2017-03-01' and source = 'ucdp'"
    )

    def check(page: Page) -> None:
        _open_index(page, report_index)
        areas = page.locator("#map-chart g.mark-shape path")
        assert areas.count() == 33  # Syria's 14 and Iraq's 18 governorates, the Golan buffer zone
        for code, reports in by_area.items():
            row = page.locator(f"#admin1-table tr[data-admin1='{code}'] td").nth(2)
            assert row.inner_text() == f"{reports:,}"
        shaded = page.locator("#map-chart g.mark-shape path:not([fill='#f2f2f2'])").count()
        assert shaded == len(by_area)
        assert page.locator("#map-chart g.mark-symbol path").count() > 1000  # points
        # Country and period filters: Iraq in March 2017 (the ledger's Mosul claims).
        page.select_option("select[name=country]", "IRQ")  # UCDP's Iraq events and the ledger
        page.fill("input[name=from]", "2017-03")
        page.fill("input[name=to]", "2017-03")
        page.dispatch_event("#filters", "change")
        cell = "#admin1-table tr[data-admin1='{}'] td:nth-child(3)"
        page.wait_for_function(  # Nineveh's reports of March 2017 only (one is of February)
            f'document.querySelector("{cell.format("IQ-NI")}").textContent'
            f" === '{iraq_in_march:,}'"
        )
        assert page.locator(cell.format("SY-HL")).inner_text() == "0"
        assert page.locator("#monthly-summary").inner_text() == (
            f"ucdp: {ucdp_reports} incident reports, civilians killed {ucdp_min:,}–{ucdp_max:,}"
        )
        first_area = "document.querySelector('#map-chart g.mark-shape path').getAttribute('d')"
        before = page.evaluate(first_area)
        page.click("#zoom-in")
        page.wait_for_function(f"{first_area} != {before!r}")

    _browse(browser, check)


def test_past_the_points_cap_the_map_shades_every_report_and_says_why_no_point_is_drawn(
    browser, warehouse, tmp_path
):
    """A warehouse with more located reports than the cap (here a cap of 100 on the bundled
    build): the index carries no point, says so in words with the count, and its governorate
    counts are still every report's, grouped in SQL."""
    from civcas.report_site import write_report

    located = warehouse.query(
        "select count(*) from marts.fct_civilian_harm_reports"
        " where latitude is not null and longitude is not null"
    )[0][0]
    assert located > 100
    by_area = dict(
        warehouse.query(
            "select admin1_code, count(*) from marts.fct_civilian_harm_reports"
            " where admin1_code is not null group by all"
        )
    )
    index = write_report(warehouse.warehouse, tmp_path / "site", points_cap=100)
    assert (tmp_path / "site" / "months" / f"{MONTH}.html").exists()

    def check(page: Page) -> None:
        _open_index(page, index)
        # the map's points mark (named "point"), not the legend's symbols
        assert page.locator("#map-chart g.role-mark.point path").count() == 0
        note = page.locator("#map-no-points").inner_text()
        assert f"{located:,} reports with coordinates, more than the 100 this page draws" in note
        for code, reports in by_area.items():
            cell = page.locator(f"#admin1-table tr[data-admin1='{code}'] td").nth(2)
            assert cell.inner_text() == f"{reports:,}"
        shaded = page.locator("#map-chart g.mark-shape path:not([fill='#f2f2f2'])").count()
        assert shaded == len(by_area)

    _browse(browser, check)


def test_under_the_points_cap_the_page_says_nothing_of_it(browser, report_index):
    def check(page: Page) -> None:
        _open_index(page, report_index)
        assert page.locator("#map-no-points").count() == 0
        assert page.locator("#map-chart g.role-mark.point path").count() > 1000

    _browse(browser, check)


def test_no_page_scrolls_sideways_on_a_phone(browser, report_index):
    def check(page: Page) -> None:
        _open_index(page, report_index)
        for url in (
            report_index.as_uri(),
            (report_index.parent / "months" / f"{MONTH}.html").as_uri(),
            (report_index.parent / "events" / f"{MONTH}.html").as_uri(),
        ):
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{url} is {width} px wide"

    _browse(browser, check, width=PHONE_WIDTH)


def test_tables_sort_and_search(browser, report_index, warehouse):
    highest = warehouse.query(
        "select max(airwars_civilians_killed_max) from marts.fct_harm_events"
        " where agreement in ('denied', 'disjoint', 'overlap')"
    )[0][0]

    def check(page: Page) -> None:
        _open_index(page, report_index)
        table = page.locator("#disagreements-table")
        header = page.locator("#disagreements-table th", has_text="Airwars")
        header.click()
        header.click()  # descending
        assert table.locator("tbody tr td").nth(5).inner_text().endswith(f"{highest:,}")
        page.fill("input[data-table=disagreements-table]", "Al Jina")
        visible = table.locator("tbody tr:visible")
        assert visible.count() == 1
        row = visible.first.inner_text()
        assert "37–62" in row and "\t50\t" in row and "denied" in row  # Airwars, UCDP

    _browse(browser, check)


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


def test_the_quality_section_links_field_issues_per_source(report_index, warehouse, browser):
    """Issue 23: records kept with a field nulled, and names no seed maps, with their counts."""
    issues = dict(warehouse.query("select source, count(*) from audit.field_issues group by 1"))
    unmapped = warehouse.query("select count(*) from audit.unmapped_names")[0][0]
    assert issues  # the bundled data has some (impossible coordinates, broken breakdowns)

    def check(page: Page) -> None:
        _open_index(page, report_index)
        summary = page.locator("#field-issues-summary").inner_text()
        assert summary.startswith(f"{sum(issues.values()):,} problem")
        assert f"; {unmapped:,} name" in summary
        page.click("#field-issues-summary a")
        page.wait_for_url("**/field_issues.html")
        for source, count in issues.items():
            note = page.locator(f"#issues-{source} p.note").inner_text()
            assert note.startswith(f"{count:,} problem"), (source, note)
            shown = page.locator(f"#issues-table-{source} tbody td:nth-child(3)").all_inner_texts()
            assert sum(int(text.replace(",", "")) for text in shown) == count
        assert page.locator("#unmapped tbody tr").count() == unmapped
        # Its tables sort and search like the others.
        table = f"issues-table-{max(issues, key=issues.get)}"
        rows = page.locator(f"#{table} tbody tr").all_inner_texts()
        field = rows[-1].split("\t")[0]
        page.fill(f"input[data-table={table}]", field)
        holding = [row for row in rows if field.lower() in row.lower()]
        assert page.locator(f"#{table} tbody tr:visible").all_inner_texts() == holding

    _browse(browser, check)


def test_an_empty_table_leaves_the_others_sortable(tmp_path, browser):
    """List.js needs a first row to learn a table's rows from: an empty table (every check met)
    is left alone, and the page's script still runs."""
    from civcas.report_site.site import STATIC, STATIC_FILES

    for name in STATIC_FILES:
        (tmp_path / name).write_text((STATIC / name).read_text(encoding="utf-8"), encoding="utf-8")
    head = "<thead><tr><th>name</th><th>n</th></tr></thead>"
    (tmp_path / "page.html").write_text(
        f'<table class="sortable">{head}<tbody></tbody></table>'
        f'<table id="t" class="sortable">{head}<tbody><tr><td>b</td><td>1,200</td></tr>'
        "<tr><td>a</td><td>90</td></tr><tr><td>c</td><td>3</td></tr></tbody></table>"
        '<script src="list.min.js"></script><script src="report.js"></script>',
        encoding="utf-8",
    )

    def check(page: Page) -> None:
        page.goto((tmp_path / "page.html").as_uri())
        assert page.evaluate("typeof civcas.month") == "function"
        page.click("#t th:nth-child(2)")  # ascending, numbers as numbers
        assert page.locator("#t tbody td:first-child").all_inner_texts() == ["c", "a", "b"]

    _browse(browser, check)
