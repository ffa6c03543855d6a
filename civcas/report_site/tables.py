"""HTML tables and figure ranges, as the report prints them."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def _cell(value) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float):
        return f'<td class="n">{value:,}</td>'
    return f"<td>{escape(str(value))}</td>"


def table(headers: Sequence[str], rows: Sequence[Sequence], scroll: bool = False) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    html = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{html}</div>' if scroll else html


def figure_range(low, high) -> str | None:
    if low is None and high is None:
        return None
    if high is None or low == high:
        return f"{low}" if high is None else f"{high}"
    return f"{low}–{high}"
