"""`civcas docs`: dbt docs generated against the published warehouse (so with column types) and
a page of its validation results, in one folder served on 127.0.0.1.

dbt docs read manifest.json and catalog.json with JavaScript, which browsers refuse for a file://
page (it stays on "(loading)"): served over HTTP it works, and `static_index.html` (dbt's
`--static`, everything inlined) opens as a file too.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from civcas import warehouse as wh
from civcas.lake import LakeError
from civcas.published import NothingPublished, describe
from civcas.settings import BUILD_DB_ENV, DBT_PROJECT_DIR, Settings, dbt_executable

DBT_DOCS_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 70em; margin: 2em auto }}
table {{ border-collapse: collapse }} td, th {{ border: 1px solid #ccc; padding: 0.2em 0.5em }}
.fail {{ background: #fdd }} .warn {{ background: #ffd }}</style></head>
<body><h1>{title}</h1>{body}</body></html>
"""
INDEX_BODY = """<ul>
<li><a href="dbt/index.html">dbt docs</a>: every model, column (with its type) and test
(<a href="dbt/static_index.html">one-file version</a>, also opens without a server)</li>
<li><a href="validation.html">Validation results</a> of the published build: what each
expectation checks, its result and the first records that failed it</li>
</ul>"""
# dbt docs' page fetches `{{ getIcon(...) }}` literally before Angular fills it in, and names a
# favicon with an unbuilt `require(...)`: both are failed requests. These fix them.
DBT_DOCS_PATCHES = (
    ('<use xlink:href="{{ getIcon', '<use ng-attr-xlink:href="{{ getIcon'),
    ('<link rel="shortcut icon" href="${require(\'./assets/favicons/favicon.ico\')}"/>', ""),
)


class DocsError(Exception):
    """The docs could not be generated; the message says why."""


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"


def build_docs(settings: Settings, progress: Callable[[str], None] = lambda _line: None) -> Path:
    """Generate dbt docs against a copy of the published warehouse (never the file analysts
    hold open; in lake mode, the lake's latest publish copied into a file) and gather them with
    the Data Docs of the last validation; `progress` is told each step as it starts."""
    site = docs_dir(settings)
    dbt_site = site / "dbt"
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.warehouse.parent, prefix=".docs-") as work:
        copy = Path(work) / settings.warehouse.name  # same name: the same catalog as published
        progress(f"copying {describe(settings)}")
        try:
            wh.copy_published(settings, copy)
        except (NothingPublished, LakeError) as error:
            raise DocsError(f"{error}; run `civcas run`") from None
        progress("dbt docs generate: every model's columns and types (the longest step)")
        target = Path(work) / "target"
        result = subprocess.run(
            [
                str(dbt_executable()),
                *("docs", "generate", "--static", "--quiet"),
                *("--profiles-dir", str(DBT_PROJECT_DIR)),
                *("--target-path", str(target), "--log-path", str(Path(work) / "logs")),
            ],
            cwd=DBT_PROJECT_DIR,
            # Without it the page loads dbt's tracker from the internet.
            env={
                **os.environ,
                BUILD_DB_ENV: str(copy),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            },
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DocsError(f"dbt docs generate failed:\n{result.stdout}{result.stderr}".strip())
        shutil.rmtree(dbt_site, ignore_errors=True)
        dbt_site.mkdir(parents=True)
        for name in DBT_DOCS_FILES:
            text = (target / name).read_text(encoding="utf-8")
            for old, new in DBT_DOCS_PATCHES:
                text = text.replace(old, new)
            (dbt_site / name).write_text(text, encoding="utf-8")
        progress("gathering the validation results")
        shutil.rmtree(site / "validation", ignore_errors=True)  # GX's pages, linked no more
        (site / "validation.html").write_text(validation_page(copy), encoding="utf-8")
    (site / "index.html").write_text(
        PAGE.format(title="civcas docs", body=INDEX_BODY), encoding="utf-8"
    )
    (site / "favicon.ico").write_bytes(b"")  # browsers ask for it; an empty answer, not a 404
    return site


def validation_page(warehouse: Path) -> str:
    """The expectation results of the published build at `warehouse` (a copy) as one page
    without scripts: per suite, what it checks, and per expectation its result and the first
    records that failed it.

    Great Expectations' own Data Docs pages are not linked: offline they lose their scripts, show
    two dead buttons and no results, and call a suite whose misses are warnings "Failed"."""
    from expectations.results import failure_detail
    from expectations.suites import load_suites

    con = wh.connect(warehouse, read_only=True)
    try:
        rows = con.execute(
            "select * from audit.validation_results"
            " where run_id = (select run_id from audit.validation_results"
            " order by checked_at desc limit 1)"
            " order by success, severity, suite, expectation"
        ).fetchall()
        columns = [d[0] for d in con.description]
    finally:
        con.close()
    if not rows:
        return PAGE.format(title="Validation results", body="<p>No validation recorded.</p>")
    results = [dict(zip(columns, row, strict=True)) for row in rows]
    suites = {suite.name: suite for suite in load_suites()}
    cells = []
    for r in results:
        suite = suites.get(r["suite"])
        spec = (
            next((e for e in suite.expectations if e.name == r["expectation"]), None)
            if suite
            else None
        )
        state = "passed" if r["success"] else ("FAILED" if r["severity"] == "error" else "warning")
        css = "" if r["success"] else (" class=fail" if r["severity"] == "error" else " class=warn")
        detail = (
            ""
            if r["success"]
            else failure_detail(r["unexpected_count"], r["observed_value"], r.get("first_failing"))
        )
        cells.append(
            f"<tr{css}><td>{html.escape(r['suite'])}</td><td>{html.escape(r['expectation'])}</td>"
            f"<td>{html.escape(spec.description if spec else '')}</td>"
            f"<td>{html.escape(r['table_name'])}</td><td>{r['severity']}</td><td>{state}</td>"
            f"<td>{html.escape(detail)}</td></tr>"
        )
    errors = sum(1 for r in results if not r["success"] and r["severity"] == "error")
    warnings = sum(1 for r in results if not r["success"] and r["severity"] == "warn")
    body = (
        f"<p>Run {html.escape(results[0]['run_id'])}: {len(results):,} expectations checked,"
        f" {errors:,} error-level {'failure' if errors == 1 else 'failures'} (a build with one"
        f" is never published), {warnings:,} {'warning' if warnings == 1 else 'warnings'}.</p>"
        "<table><tr><th>suite</th><th>expectation</th><th>what it checks</th><th>table</th>"
        f"<th>severity</th><th>result</th><th>detail</th></tr>{''.join(cells)}</table>"
    )
    return PAGE.format(title="Validation results", body=body)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        pass


def docs_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server of the site on 127.0.0.1 only (port 0: any free port)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve_docs(site: Path, port: int) -> int:
    try:
        server = docs_server(site, port)
    except OSError as error:
        print(f"civcas docs: cannot listen on 127.0.0.1:{port} ({error}); try --port")
        return 1
    print(f"civcas docs: serving on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
