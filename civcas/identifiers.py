"""SQL identifiers quoted for DuckDB: the one home of the quoting rule."""

from __future__ import annotations


def quoted(*names: str) -> str:
    """`schema`, `table` -> "schema"."table", each part quoted (an embedded " doubled)."""
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)
