"""Jobs: the full build (land every file source, dbt, checks, publish)."""

import dagster as dg

from orchestration.assets import published_warehouse, raw_assets
from orchestration.dbt_assets import civcas_dbt_assets

# One writer at a time: DuckDB allows one read-write process, so steps never overlap.
one_writer_executor = dg.multiprocess_executor.configured({"max_concurrent": 1})

build_job = dg.define_asset_job(
    name="civcas_build",
    selection=dg.AssetSelection.assets(*raw_assets, civcas_dbt_assets, published_warehouse),
    description="Land new files, rebuild the models, validate, publish if no error check fails.",
    tags={"civcas/warehouse": "build"},
)
