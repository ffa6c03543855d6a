"""Which assets `civcas run --source ... --month ...` materializes."""

from __future__ import annotations

import dagster as dg


def build_selection(sources: list[str], months: list[str]) -> tuple[dg.AssetSelection, list[str]]:
    from orchestration.assets import FILE_SOURCES, published_warehouse, raw_assets
    from orchestration.dbt_assets import civcas_dbt_assets

    known = {source.SOURCE: asset for source, asset in zip(FILE_SOURCES, raw_assets, strict=True)}
    unknown = sorted(set(sources) - set(known))
    if unknown:
        raise SystemExit(f"civcas run: unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    chosen = [known[name] for name in (sources or sorted(known))]
    notes = []
    if months:
        notes.append("civcas run: --month applies to API sources only; file sources land every new file")
    selection = dg.AssetSelection.assets(*chosen, civcas_dbt_assets, published_warehouse)
    return selection, notes
