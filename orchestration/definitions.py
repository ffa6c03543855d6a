"""The Dagster code location: `dagster dev` in the repository root loads these definitions,
every module of `orchestration/defs/` (pyproject.toml [tool.dg.project])."""

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
