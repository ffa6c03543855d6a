"""Assemble the report's sections into one self-contained `index.html`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import duckdb

from civcas.report_site.sections import (
    disagreements_section,
    map_section,
    monthly_section,
    quality_section,
    sources_section,
)
from civcas.settings import DUCKDB_CONFIG

STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px;color:#222}
nav a{margin-right:14px} h2{border-bottom:1px solid #ccc;padding-top:12px}
.panels{display:flex;flex-wrap:wrap;gap:8px} .note{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
td,th{border:1px solid #ddd;padding:2px 6px}
td.n{text-align:right} .scroll{max-height:420px;overflow:auto} .legend .key{margin-right:12px}
body[data-grading=all] .grading-graded,body[data-grading=graded] .grading-all{display:none}
"""
SWITCH_SCRIPT = """
for (const input of document.querySelectorAll('input[name=grading]')) {
  input.addEventListener('change', () => { document.body.dataset.grading = input.value; });
}
"""


SECTIONS: list[tuple[str, str, Callable]] = [
    ("monthly", "Monthly civilians killed by belligerent", monthly_section),
    ("sources", "Sources side by side, period claims", sources_section),
    ("disagreements", "Where monitors disagree", disagreements_section),
    ("map", "Reports by governorate", map_section),
    ("quality", "Data quality", quality_section),
]


def render(con: duckdb.DuckDBPyConnection, now: datetime) -> str:
    nav = "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title, _ in SECTIONS)
    body = "".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>'
        f"{section(con, now) if key == 'quality' else section(con)}</section>"
        for key, title, section in SECTIONS
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>civcas report</title><style>{STYLE}</style></head>"
        '<body data-grading="all"><h1>civcas: civilian harm reports</h1>'
        f'<p class="note">Drawn from the published warehouse at {now:%Y-%m-%d %H:%M} UTC.'
        " Figures are civilians killed unless a label says otherwise.</p>"
        f"<nav>{nav}</nav>{body}<script>{SWITCH_SCRIPT}</script></body></html>"
    )


def write_report(warehouse: Path, out_dir: Path) -> Path:
    """Write `out_dir/index.html` from the warehouse, opened read-only; return its path."""
    con = duckdb.connect(str(warehouse), read_only=True, config=DUCKDB_CONFIG)
    try:
        html = render(con, datetime.now(UTC).replace(tzinfo=None))
    finally:
        con.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    partial = out_dir / "index.html.partial"
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)  # a reader never sees half a report
    return target
