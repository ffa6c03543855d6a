"""The Dagster code location: `dagster dev` in the repository root loads these definitions."""

import dagster as dg

import orchestration.defs

defs = dg.Definitions.merge(dg.components.load_defs(orchestration.defs))


def civcas_build_job() -> dg.JobDefinition:
    """The resolved build job, for `dg.reconstructable` (out-of-process execution)."""
    return defs.resolve_job_def("civcas_build")
