"""dbt's manifest (`dbt_project/target/manifest.json`) defines the Dagster asset graph and holds
the compiled SQL that `civcas ledger check` runs (`LEDGER_CHECK_MODELS`). `make setup` writes it
(`python -m civcas.dbt_manifest`); tools that read it outside Make (tests, scripts) call
`ensure_manifest()`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from civcas.settings import (
    BUILD_DB_ENV,
    BUILD_DIR_ENV,
    DBT_PROJECT_DIR,
    dbt_executable,
    load_settings,
)

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"

# The models `civcas ledger check` evaluates on files landed in memory, with their parents.
LEDGER_CHECK_MODELS = (
    "+fct_claim_parts",
    "+int_ledger__reports",
    "+fct_ledger_claims",
    "+dim_ledger_documents",
    "+dim_claimants",
)


class ManifestError(RuntimeError):
    """dbt could not parse or compile the project; the message carries dbt's own words."""


def _newest_project_file() -> float:
    files = [
        path
        for folder in ("models", "seeds", "macros", "tests")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ]
    files += [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    return max(path.stat().st_mtime for path in files)


def ensure_manifest() -> Path:
    """Parse the dbt project, and compile the ledger check's models (no data needed), when the
    manifest is missing or older than a project file.

    dbt is given the profile of a run (the build file's name, in a scratch folder): runs then
    start from this parse (dagster-dbt copies its partial_parse.msgpack) instead of parsing the
    project again."""
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_project_file():
        return MANIFEST
    with tempfile.TemporaryDirectory(prefix="civcas-dbt-parse-") as scratch:
        done = subprocess.run(
            [
                str(dbt_executable()),
                *("compile", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR)),
                *("--project-dir", str(DBT_PROJECT_DIR)),
                *("--target-path", str(MANIFEST.parent)),
                *("--select", *LEDGER_CHECK_MODELS),
                *("--log-path", str(MANIFEST.parent / "logs")),
            ],
            cwd=scratch,
            env={**os.environ, BUILD_DB_ENV: load_settings().warehouse.name},
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise ManifestError(
            f"dbt could not parse and compile {DBT_PROJECT_DIR} (exit {done.returncode}):\n"
            + (done.stdout + done.stderr).strip()[-4000:]
        )
    return MANIFEST


def dbt_command_on(build: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run `dbt ARGS` on the DuckDB file `build` outside a run
    (tests, benchmarks) as a run starts dbt: `civcas-dbt` from this parse, copied into a target
    folder beside `build` (the profile matches when `build` has the published file's name),
    logging beside it too."""
    target = build.parent / "target"
    target.mkdir(exist_ok=True)
    shutil.copyfile(MANIFEST.parent / "partial_parse.msgpack", target / "partial_parse.msgpack")
    command = [
        str(dbt_executable().with_name("civcas-dbt")),
        *args,
        *("--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)),
        *("--target-path", str(target), "--log-path", str(build.parent / "logs")),
    ]
    return command, {**os.environ, BUILD_DB_ENV: build.name, BUILD_DIR_ENV: str(build.parent)}


def read_manifest() -> dict[str, Any]:
    return json.loads(ensure_manifest().read_text(encoding="utf-8"))


if __name__ == "__main__":
    ensure_manifest()
