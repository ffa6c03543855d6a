"""Which assets `civcas run --source ... --month ...` materializes, and in how many runs.

File sources land every new file. API sources fetch only the months given with --month; without
--month (or without credentials) they are skipped with one line each, and the months they landed
before stay in the warehouse. Consecutive months are fetched in one run over a partition range
(one dbt build, one publish); months with gaps between them make one run per consecutive block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import dagster as dg


@dataclass
class PlannedRun:
    selection: dg.AssetSelection
    months: list[str] = field(default_factory=list)  # YYYY-MM, consecutive

    @property
    def tags(self) -> dict[str, str]:
        if not self.months:
            return {}
        from orchestration.components.monthly_api import partition_key

        return {
            "dagster/asset_partition_range_start": partition_key(self.months[0]),
            "dagster/asset_partition_range_end": partition_key(self.months[-1]),
        }

    @property
    def label(self) -> str:
        if not self.months:
            return "all sources"
        span = self.months[0] if len(self.months) == 1 else f"{self.months[0]}..{self.months[-1]}"
        return f"months {span}"


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def parse_months(months: list[str], today: date | None = None) -> list[str]:
    """Validated, sorted, distinct YYYY-MM months; SystemExit with a readable message otherwise."""
    from orchestration.components.monthly_api import FIRST_MONTH

    today = today or datetime.now(UTC).date()
    parsed = set()
    for month in months:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise SystemExit(
                f"civcas run: --month {month!r} is not a month written YYYY-MM (e.g. 2017-03)"
            )
        if month < FIRST_MONTH[:7]:
            raise SystemExit(
                f"civcas run: --month {month} is before {FIRST_MONTH[:7]}, the first month covered"
            )
        if month > f"{today.year:04d}-{today.month:02d}":
            raise SystemExit(f"civcas run: --month {month} is in the future")
        parsed.add(month)
    return sorted(parsed)


def consecutive_blocks(months: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    for month in months:
        if blocks and _month_index(month) == _month_index(blocks[-1][-1]) + 1:
            blocks[-1].append(month)
        else:
            blocks.append([month])
    return blocks


def plan_runs(sources: list[str], months: list[str]) -> tuple[list[PlannedRun], list[str]]:
    """The runs to execute and the notes to print first (one line per skipped API source)."""
    from ingestion.registry import FILE_DROP_SOURCES, MONTHLY_API_SOURCES
    from orchestration.components.raw_tables import sources_selection
    from orchestration.defs.publish.analyst_report import analyst_report
    from orchestration.defs.publish.published_warehouse import published_warehouse
    from orchestration.defs.transform.dbt import civcas_dbt_assets

    file_assets = {source.SOURCE: sources_selection([source]) for source in FILE_DROP_SOURCES}
    api = {source.SOURCE: (source, sources_selection([source])) for source in MONTHLY_API_SOURCES}
    unknown = sorted(set(sources) - set(file_assets) - set(api))
    if unknown:
        known = ", ".join(sorted([*file_assets, *api]))
        raise SystemExit(f"civcas run: unknown source(s) {', '.join(unknown)}; known: {known}")
    months = parse_months(months)
    chosen = sources or sorted([*file_assets, *api])
    notes: list[str] = []
    chosen_files = [file_assets[name] for name in chosen if name in file_assets]
    chosen_api = []
    for name in (name for name in chosen if name in api):
        source, asset = api[name]
        if source.config_from_env() is None:
            notes.append(source.skip_message())
        elif not months:
            notes.append(
                f"{name}: skipped: no --month given (fetch event months with --month YYYY-MM;"
                " months landed before are kept)"
            )
        else:
            chosen_api.append(asset)
    if months and not chosen_api and not any(name in api for name in chosen):
        notes.append(
            "civcas run: --month applies to API sources only; file sources land every new file"
        )
    selection = dg.AssetSelection.assets(civcas_dbt_assets, published_warehouse, analyst_report)
    for raw in chosen_files + chosen_api:
        selection = selection | raw
    if not chosen_api:
        return [PlannedRun(selection)], notes
    return [PlannedRun(selection, block) for block in consecutive_blocks(months)], notes


def build_selection(sources: list[str], months: list[str]) -> tuple[dg.AssetSelection, list[str]]:
    """The selection of the first planned run (kept for callers that run once)."""
    runs, notes = plan_runs(sources, months)
    return runs[0].selection, notes
