"""Where things are: every path the pipeline uses, overridable by environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "civcas.duckdb"
DEFAULT_LANDING_DIR = REPO_ROOT / "sample_data" / "landing"


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing_dir: Path

    @property
    def builds_dir(self) -> Path:
        # Builds live beside the published file so that publishing is a same-filesystem rename.
        return self.warehouse.parent / ".builds"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse.parent / "data_docs"


def load_settings() -> Settings:
    warehouse = Path(os.environ.get("CIVCAS_WAREHOUSE") or DEFAULT_WAREHOUSE)
    landing = Path(os.environ.get("CIVCAS_LANDING_DIR") or DEFAULT_LANDING_DIR)
    return Settings(warehouse=warehouse.resolve(), landing_dir=landing.resolve())
