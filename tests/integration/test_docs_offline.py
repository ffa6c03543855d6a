"""`civcas docs` pages render in headless Chromium with no request leaving 127.0.0.1 and none
failing: dbt docs with column types from the published warehouse, and the GX Data Docs
(issue 9, item 2)."""

from __future__ import annotations

import json
import threading

import pytest

from civcas.docs_site import build_docs, docs_server
from civcas.settings import load_settings


@pytest.fixture(scope="module")
def served_docs(bundled_build):
    """The docs site of the shared bundled build, made once for the module's pages."""
    env, _ = bundled_build
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CIVCAS_WAREHOUSE", str(env.warehouse))
        site = build_docs(load_settings())
    server = docs_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _open(browser, url: str, origin: str, text: str) -> str:
    """The page's text once `text` shows; fails on any foreign, failed or erroring request."""
    foreign, failed, errors = [], [], []
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda r: r.url.startswith((origin, "data:")) or foreign.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(url, wait_until="networkidle")
        page.get_by_text(text, exact=True).first.wait_for(timeout=30_000)
        body = page.inner_text("body")
    finally:
        context.close()
    assert (foreign, failed, errors) == ([], [], []), (foreign, failed, errors)
    return body


@pytest.mark.full_runs(1)
@pytest.mark.timeout(300)
def test_dbt_docs_show_column_types_of_the_published_warehouse(browser, served_docs):
    body = _open(
        browser,
        f"{served_docs}/dbt/index.html#!/model/model.civcas.fct_civilian_harm_reports",
        served_docs,
        "counts_consistent",
    )
    assert "civilians_killed_min" in body
    assert "BOOLEAN" in body  # counts_consistent's type, only known from the catalog
    assert "VARCHAR" in body


@pytest.mark.timeout(300)
def test_validation_results_render_offline(browser, served_docs, bundled_build):
    env, _ = bundled_build
    warned, first = env.query(
        "select count(*), min(first_failing) filter (where expectation = 'parts_within_whole')"
        " from audit.validation_results where not success and severity = 'warn'"
        " and run_id = (select run_id from audit.validation_results"
        " order by checked_at desc limit 1)"
    )[0]
    body = _open(browser, f"{served_docs}/validation.html", served_docs, "parts_within_whole")
    assert body.count("\twarn\twarning\t") == warned  # severity, then result, per row
    assert f"{warned} warnings." in body
    # The first failing reports are named, as the suite's `identify` columns give them.
    first_report = json.loads(first)[0]["report_id"]
    assert f"first: report_id={first_report}" in body
    # What each expectation checks, from its suite.
    assert "Only Syria and Iraq are covered so far." in body
    # Great Expectations' own pages, broken offline, are neither linked nor copied.
    assert "validations/" not in body
    assert not (env.warehouse.parent / "docs" / "validation").exists()


def test_the_warehouse_carries_the_model_docs_as_comments(bundled_build):
    """dbt's persist_docs writes every model and column description as a DuckDB comment."""
    env, _ = bundled_build
    undocumented = env.query(
        "select table_name || '.' || column_name from duckdb_columns()"
        " where schema_name = 'marts' and coalesce(comment, '') = ''"
    )
    assert undocumented == []
    assert env.query(
        "select comment from duckdb_columns() where schema_name = 'marts'"
        " and table_name = 'fct_civilian_harm_reports' and column_name = 'report_id'"
    )[0][0].startswith("Unique report key: `<source>:<source_record_id>`")
    staged_views = env.query(
        "select count(*), count(*) filter (where comment <> '') from duckdb_views()"
        " where schema_name = 'staging'"
    )
    assert staged_views[0][0] == staged_views[0][1] > 0
