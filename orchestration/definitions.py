"""The Dagster code location: `dagster dev` in the repository root loads these definitions,
every module of `orchestration/defs/` (pyproject.toml [tool.dg.project])."""

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)


def civcas_build_job() -> dg.JobDefinition:
    """The resolved build job, for `dg.reconstructable` (out-of-process execution)."""
    return defs.resolve_job_def("civcas_build")
