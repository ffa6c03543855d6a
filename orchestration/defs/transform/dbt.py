"""The dbt project as Dagster assets: models, seeds and dbt tests (as asset checks).

The manifest is prepared by `make setup` (dbt parse); `dagster dev` re-parses it on start.
"""

import contextlib
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from civcas import warehouse as wh
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource, dbt_project
from orchestration.defs.table_metadata import table_metadata

# `civcas run` (without --verbose) sets this tag: dbt's own console lines are not echoed (they
# stay in dbt's log of the run); `dagster dev` runs keep them in the compute log.
QUIET_DBT_TAG = "civcas/quiet_dbt"

dbt_project.prepare_if_dev()


class CivcasTranslator(DagsterDbtTranslator):
    """Asset keys are the warehouse relations: [schema, table] (raw sources: ["raw", table])."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        schema = dbt_resource_props["config"].get("schema") or "main"
        relation = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return dg.AssetKey([schema, relation])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Groups by layer, and by source within staging and intermediate (their folders):
        `staging_airwars`, `intermediate_citations`, `marts`, `audit`, `seeds`."""
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        layer = dbt_resource_props["config"].get("schema") or "dbt"
        fqn = dbt_resource_props.get("fqn", [])
        if layer in {"staging", "intermediate"} and len(fqn) > 3:
            return f"{layer}_{fqn[2]}"
        return layer


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CivcasTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
    pool=WAREHOUSE_POOL,
)
def civcas_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    quiet = context.run.tags.get(QUIET_DBT_TAG) == "true"
    events, failure = [], None
    with open(os.devnull, "w") as devnull:
        echo = contextlib.redirect_stdout(devnull) if quiet else contextlib.nullcontext()
        with echo, warehouse.dbt_pointed_at_build(context.run.run_id) as target:
            try:
                events.extend(dbt.cli(["build"], context=context, target_path=target).stream())
            except Exception as error:  # a failed build: report what was built, then fail
                failure = error
    yield from _with_table_metadata(context, events, warehouse.build_path(context.run.run_id))
    if failure is not None:
        raise failure


def _with_table_metadata(context: dg.AssetExecutionContext, events: list, build) -> list:
    """Row counts and column schemas of the models built, read once dbt's process has ended
    (dagster-dbt's fetch_row_counts would open the build while dbt still writes it)."""
    keys = {
        index: context.asset_key_for_output(event.output_name)
        for index, event in enumerate(events)
        if isinstance(event, dg.Output)
    }
    if not keys:
        return events
    con = wh.connect(build, read_only=True)
    try:
        metadata = table_metadata(con, sorted({tuple(key.path) for key in keys.values()}))
    finally:
        con.close()
    for index, key in keys.items():
        extra = metadata.get(tuple(key.path))
        if extra:
            events[index] = events[index].with_metadata({**events[index].metadata, **extra})
    return events
