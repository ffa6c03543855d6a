"""Every source the warehouse knows, by kind: the rows of `dbt_project/seeds/sources.csv` (the one
list of sources, read by dbt as `ref('sources')` and here), each the module `ingestion/<source>.py`.
Registering a source is one row of that seed (and, for Dagster, one `defs.yaml` under
`orchestration/defs/sources/<source>/`).

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
`land_month(con, session, config, month, cache_root, *, log) -> (list[LoadResult], rows_replaced)`
and `land_deletions`: None, or, when the source publishes a feed of the records it withdrew
(ACLED), `land_deletions(con, session, config, cache_root, *, log)` (same result): every run that
fetches months asks for it once.
"""

from __future__ import annotations

import csv
import importlib
from pathlib import Path
from types import ModuleType

import duckdb

from ingestion.landing import ensure_load_log

SOURCES_SEED = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "sources.csv"
KINDS = ("file_drop", "monthly_api")
# What a module of each kind exposes beyond SOURCE, RAW_TABLES and ensure_raw_tables (above).
KIND_ATTRIBUTES = {
    "file_drop": ("landing_files", "land"),
    "monthly_api": ("config_from_env", "skip_message", "land_month", "land_deletions"),
}


def _sources_by_kind() -> dict[str, tuple[ModuleType, ...]]:
    with SOURCES_SEED.open(newline="", encoding="utf-8") as seed:
        rows = list(csv.DictReader(seed))
    by_kind: dict[str, list[ModuleType]] = {kind: [] for kind in KINDS}
    for line, row in enumerate(rows, start=2):
        if row["kind"] not in by_kind:
            raise ValueError(
                f"{SOURCES_SEED}, line {line}, field kind: {row['kind']!r} is not one of"
                f" {', '.join(KINDS)}"
            )
        module = importlib.import_module(f"ingestion.{row['source']}")
        if row["source"] != module.SOURCE:
            raise ValueError(
                f"{SOURCES_SEED}, line {line}, field source: ingestion/{row['source']}.py"
                f" says SOURCE = {module.SOURCE!r}"
            )
        missing = [
            name
            for name in ("SOURCE", "RAW_TABLES", "ensure_raw_tables", *KIND_ATTRIBUTES[row["kind"]])
            if not hasattr(module, name)
        ]
        if missing:
            raise ValueError(
                f"{SOURCES_SEED}, line {line}, field kind: ingestion/{row['source']}.py, a"
                f" {row['kind']} source, does not define {', '.join(missing)}"
            )
        by_kind[row["kind"]].append(module)
    return {kind: tuple(modules) for kind, modules in by_kind.items()}


_BY_KIND = _sources_by_kind()
FILE_DROP_SOURCES = _BY_KIND["file_drop"]
MONTHLY_API_SOURCES = _BY_KIND["monthly_api"]
ALL_SOURCES = (*FILE_DROP_SOURCES, *MONTHLY_API_SOURCES)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_load_log(con)
    for source in ALL_SOURCES:
        source.ensure_raw_tables(con)
