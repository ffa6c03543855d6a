"""The dbt project as Dagster assets: models, seeds and dbt tests (as asset checks)."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.resources import WarehouseResource, dbt_project, ensure_dbt_manifest

WAREHOUSE_POOL = "civcas_warehouse"


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


translator = CivcasTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=ensure_dbt_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    pool=WAREHOUSE_POOL,
)
def civcas_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    warehouse.point_dbt_at_build(context.run_id)
    yield from dbt.cli(["build"], context=context).stream()
