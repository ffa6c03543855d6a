"""`civcas docs`: dbt docs generated against the published warehouse (so with column types) and
the Great Expectations Data Docs, in one folder served on 127.0.0.1.

dbt docs read manifest.json and catalog.json with JavaScript, which browsers refuse for a file://
page (it stays on "(loading)"): served over HTTP it works, and `static_index.html` (dbt's
`--static`, everything inlined) opens as a file too.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from civcas.settings import DBT_PROJECT_DIR, Settings, dbt_executable

DBT_DOCS_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")
INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>civcas docs</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>civcas docs</h1>
<ul>
<li><a href="dbt/index.html">dbt docs</a>: every model, column (with its type) and test</li>
<li><a href="validation/index.html">Validation results</a>: Great Expectations Data Docs</li>
</ul>
</body></html>
"""


class DocsError(Exception):
    """The docs could not be generated; the message says why."""


def docs_dir(settings: Settings) -> Path:
    return settings.warehouse.parent / "docs"


def build_docs(settings: Settings) -> Path:
    """Generate dbt docs against a copy of the published warehouse (never the file analysts
    hold open) and gather them with the Data Docs of the last validation."""
    if not settings.warehouse.exists():
        raise DocsError(f"no published warehouse at {settings.warehouse}; run `civcas run`")
    site = docs_dir(settings)
    dbt_site = site / "dbt"
    with tempfile.TemporaryDirectory(dir=settings.warehouse.parent, prefix=".docs-") as work:
        copy = Path(work) / settings.warehouse.name  # same name: the same catalog as published
        shutil.copyfile(settings.warehouse, copy)
        target = Path(work) / "target"
        result = subprocess.run(
            [
                str(dbt_executable()),
                *("docs", "generate", "--static", "--quiet"),
                *("--profiles-dir", str(DBT_PROJECT_DIR)),
                *("--target-path", str(target), "--log-path", str(Path(work) / "logs")),
            ],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, "CIVCAS_BUILD_DB": str(copy)},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DocsError(f"dbt docs generate failed:\n{result.stdout}{result.stderr}".strip())
        shutil.rmtree(dbt_site, ignore_errors=True)
        dbt_site.mkdir(parents=True)
        for name in DBT_DOCS_FILES:
            shutil.copyfile(target / name, dbt_site / name)
    validation = site / "validation"
    shutil.rmtree(validation, ignore_errors=True)
    if settings.data_docs_dir.exists():
        shutil.copytree(settings.data_docs_dir, validation)
    (site / "index.html").write_text(INDEX, encoding="utf-8")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        pass


def serve_docs(site: Path, port: int) -> int:
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
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
