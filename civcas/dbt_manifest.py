"""dbt's manifest (`dbt_project/target/manifest.json`) defines the Dagster asset graph. `make
setup` writes it; tools that read it outside Make (tests, scripts) call `ensure_manifest()`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from civcas.settings import DBT_PROJECT_DIR, dbt_executable

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


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
    """Parse the dbt project when its manifest is missing or older than a project file."""
    if not MANIFEST.exists() or MANIFEST.stat().st_mtime < _newest_project_file():
        subprocess.run(
            [
                str(dbt_executable()),
                *("parse", "--quiet", "--profiles-dir", "."),
                *("--log-path", str(MANIFEST.parent / "logs")),
            ],
            cwd=DBT_PROJECT_DIR,
            check=True,
        )
    return MANIFEST
