"""The component of a file-drop source: files dropped in `<landing>/<source>/`, landed when new.

A source is one `defs.yaml` under `orchestration/defs/sources/<source>/`:

    type: orchestration.components.file_drop.FileDropSource
    attributes:
      source: airwars

Its raw tables become one multi-asset (`land_<source>`); the landing sensor
(`orchestration/defs/sources/landing_sensor.py`) watches every file-drop source at once.
"""

from types import ModuleType

import dagster as dg

from ingestion.landing import LandingError
from ingestion.registry import FILE_DROP_SOURCES
from orchestration.components.raw_tables import (
    landed_metadata,
    landing_step,
    materialize_every_table,
    raw_table_specs,
    raw_tables_metadata,
    registered_source,
)
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.run_tags import PROCESS_TAG, process_tags


def file_drop_assets(source: ModuleType) -> dg.AssetsDefinition:
    """Land every new file of one file-drop source; each raw table is one asset."""

    @dg.multi_asset(
        name=landing_step(source.SOURCE),
        specs=raw_table_specs(source),
        pool=WAREHOUSE_POOL,
        description=source.__doc__,
    )
    def land(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        if PROCESS_TAG not in context.run.tags:  # a run the daemon launched: its worker process
            context.instance.add_run_tags(context.run.run_id, process_tags())
        with warehouse.connect() as con:
            try:
                results = source.land(con, warehouse.settings.landing_dir)
            except LandingError as error:
                raise dg.Failure(description=str(error)) from error
            per_table = raw_tables_metadata(con, source)
        for result in results:
            context.log.info(result.summary)
        yield from materialize_every_table(
            source, landed_metadata(results, "files", "skipped"), per_table
        )

    return land


class FileDropSource(dg.Component, dg.Model, dg.Resolvable):
    """A source whose files are dropped in `<landing>/<source>/`: its raw tables as assets."""

    source: str  # a name of ingestion.registry.FILE_DROP_SOURCES

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        module = registered_source(self.source, FILE_DROP_SOURCES, "FILE_DROP_SOURCES")
        return dg.Definitions(assets=[file_drop_assets(module)])
