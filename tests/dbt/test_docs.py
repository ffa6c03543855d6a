"""The analysts' reference describes every column the published marts and audit tables have."""

from __future__ import annotations

import re
import sys

from helpers import REPO

sys.path.insert(0, str(REPO / "scripts"))

from render_marts_doc import render  # noqa: E402


def _documented() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in (REPO / "docs" / "marts.md").read_text(encoding="utf-8").splitlines():
        if heading := re.fullmatch(r"## `(\w+\.\w+)`", line):
            current = tables.setdefault(heading.group(1), {})
        elif current is not None and (row := re.fullmatch(r"\| `(\w+)` \| (.*) \|", line)):
            current[row.group(1)] = row.group(2)
    return tables


def test_docs_marts_md_is_generated_from_the_dbt_docs():
    assert (REPO / "docs" / "marts.md").read_text(encoding="utf-8") == render()


def test_every_published_mart_and_audit_column_is_described(bundled_build):
    env, _ = bundled_build
    documented = _documented()
    published = env.query(
        "select table_schema || '.' || table_name, column_name from information_schema.columns"
        " where table_schema in ('marts', 'audit')"
    )
    missing = [
        f"{table}.{column}"
        for table, column in published
        if not documented.get(table, {}).get(column, "").strip()
    ]
    assert missing == []
    assert len(published) > 150
