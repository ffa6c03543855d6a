"""dbt's manifest (`dbt_project/target/manifest.json`) defines the Dagster asset graph and holds
the compiled SQL that `civcas ledger check` runs (`LEDGER_CHECK_MODELS`). `make setup` writes it
(`python -m civcas.dbt_manifest`); tools that read it outside Make (tests, scripts) call
`ensure_manifest()`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from civcas.settings import DBT_PROJECT_DIR, dbt_executable

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"

# The models `civcas ledger check` evaluates on files landed in memory, with their parents.
LEDGER_CHECK_MODELS = (
    "+fct_claim_parts",
    "+int_ledger__reports",
    "+fct_ledger_claims",
    "+dim_ledger_documents",
    "+dim_claimants",
)


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
    """Parse the dbt project, and compile the ledger check's models (an in-memory DuckDB, no
    data), when the manifest is missing or older than a project file."""
    if not MANIFEST.exists() or MANIFEST.stat().st_mtime < _newest_project_file():
        subprocess.run(
            [
                str(dbt_executable()),
                *("compile", "--quiet", "--profiles-dir", "."),
                *("--select", *LEDGER_CHECK_MODELS),
                *("--log-path", str(MANIFEST.parent / "logs")),
            ],
            cwd=DBT_PROJECT_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return MANIFEST


def read_manifest() -> dict[str, Any]:
    return json.loads(ensure_manifest().read_text(encoding="utf-8"))


if __name__ == "__main__":
    ensure_manifest()
