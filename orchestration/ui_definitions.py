"""The code location `make dev` opens: civcas' definitions, except that while no API source has
credentials, the API raw tables are shown as external (not materializable) assets and the API
job and schedule are left out. "Materialize all" then builds the file sources, dbt, the checks
and the publish, and never asks for API months nobody can fetch. With credentials set, the
location is `orchestration.definitions.defs` unchanged (`civcas run` always uses that one)."""

from __future__ import annotations

import dagster as dg

from ingestion.registry import MONTHLY_API_SOURCES
from orchestration import definitions
from orchestration.defs.sources import monthly_api


def without_unconfigured_api(defs: dg.Definitions) -> dg.Definitions:
    if any(source.config_from_env() is not None for source in MONTHLY_API_SOURCES):
        return defs
    external = [
        dg.AssetSpec(
            spec.key,
            group_name=spec.group_name,
            kinds=spec.kinds,
            description=f"{spec.description}. {source.skip_message()}",
        )
        for source, asset in zip(MONTHLY_API_SOURCES, monthly_api.monthly_api_assets, strict=True)
        for spec in asset.specs
    ]
    return dg.Definitions(
        assets=[*(a for a in defs.assets if a not in monthly_api.monthly_api_assets), *external],
        asset_checks=defs.asset_checks,
        jobs=[job for job in defs.jobs if job is not monthly_api.api_job],
        schedules=[s for s in defs.schedules if s is not monthly_api.api_current_month_schedule],
        sensors=defs.sensors,
        resources=defs.resources,
        executor=defs.executor,
        loggers=defs.loggers,
    )


# The only Definitions object of this module (Dagster loads a module's single one).
defs = without_unconfigured_api(definitions.defs)
