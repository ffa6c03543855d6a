"""The dbt project as Dagster assets: models, seeds and dbt tests (as asset checks).

The manifest is prepared by `make setup` (dbt parse); `dagster dev` re-parses it on start.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource, dbt_project

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
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        return dbt_resource_props["config"].get("schema") or "dbt"


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
    target = warehouse.point_dbt_at_build(context.run.run_id)
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
