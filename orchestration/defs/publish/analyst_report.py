"""The analyst's static HTML report, rewritten from the warehouse each time it is published."""

import dagster as dg

from civcas.report_site import write_report
from orchestration.defs.resources import WarehouseResource


@dg.asset(
    key=dg.AssetKey(["report", "analyst_report"]),
    group_name="published",
    kinds={"html"},
    deps=[dg.AssetKey(["published", "civcas_warehouse"])],
    description=(
        "warehouse/report/index.html: charts and tables drawn from the published warehouse, opened"
        " read-only; readable with no network (docs/report.md)."
    ),
)
def analyst_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    try:
        index = write_report(settings, settings.report_dir)
    except Exception as error:  # noqa: BLE001 - the report must never fail a published build
        message = f"report not written ({type(error).__name__}): {error}"
        context.log.error(message)
        return dg.MaterializeResult(metadata={"written": False, "error": message})
    return dg.MaterializeResult(
        metadata={"written": True, "path": dg.MetadataValue.path(str(index))}
    )
