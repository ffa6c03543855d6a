"""Every source the warehouse knows, by kind. Registering a source is one entry here.

A source is one module of `ingestion/` that exposes:

- `SOURCE`: its name (`civcas run --source NAME`, `raw._loads.source`, the dbt source name);
- `RAW_TABLES`: every `raw.<table>` it lands into (each becomes a Dagster asset `raw/<table>`);
- `ensure_raw_tables(con)`: creates those tables, empty, if missing (every build has every raw
  table of every source, landed or not, so every model builds);
- its docstring: what it lands and from where (the Dagster asset description).
- optionally `REPORTS_AS`: the source whose reports its records are (UCDP GED files are UCDP
  events): dbt stages it under that source in `var('report_sources')`; None when its records are
  not reports (analysts' decisions).

A file-drop source (files dropped in `<landing>/<SOURCE>/`) also exposes
`landing_files(landing_dir) -> list[Path]` (what the landing sensor watches) and
`land(con, landing_dir) -> list[LoadResult]` (land every file not landed before; a bad file raises
`ingestion.landing.LandingError` naming file, row and field).

A monthly API source also exposes `config_from_env() -> Config | None` (None: no credentials, the
source is skipped), `skip_message() -> str`, and
`land_month(con, session, config, month, cache_root, *, log) -> (list[LoadResult], rows_replaced)`;
optionally `land_deletions(con, session, config, cache_root, *, log)` (same result), when the
source publishes a feed of the records it withdrew (ACLED): every run that fetches months asks
for it once.
"""

from __future__ import annotations

import duckdb

from ingestion import acled, airwars, decisions, ibc, ledger, ucdp, ucdp_ged
from ingestion.landing import ensure_load_log

FILE_DROP_SOURCES = (airwars, ledger, ucdp_ged, ibc, decisions)
MONTHLY_API_SOURCES = (ucdp, acled)
ALL_SOURCES = (*FILE_DROP_SOURCES, *MONTHLY_API_SOURCES)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_load_log(con)
    for source in ALL_SOURCES:
        source.ensure_raw_tables(con)
