"""Write the report site from the published warehouse: `index.html` (filters, the monthly chart,
the map, claims, disagreements, data quality), `months/<YYYY-MM>.html` (a month's reports),
`events/<YYYY-MM>.html` (a month's events, each also shown alone at its anchor) and `static/`."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

import vl_convert
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from civcas.published import current_release, reading
from civcas.report_site.charts import map_spec, monthly_chart
from civcas.report_site.data import MAP_POINTS_CAP, MonthRows, ReportData, load, month_rows
from civcas.settings import Settings
from expectations.results import failure_detail

STATIC = files("civcas.report_site") / "static"
STATIC_FILES = ("report.css", "report.js", "list.min.js", "list.js.LICENSE")
# Vega, Vega-Lite and vega-embed as one script, bundled by vl-convert from the copies it ships;
# bundling takes seconds, so it is done again only when vl-convert's version changes.
VEGA_BUNDLE = "vega.js"
VEGA_VERSION = "vega.js.version"


def _number(value) -> str:
    return "not reported" if value is None else f"{value:,}"


def _plural(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


TEMPLATES = Environment(
    loader=PackageLoader("civcas.report_site", "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(number=_number, plural=_plural)


def _month_key(value: date) -> str:
    return f"{value:%Y-%m}"


def _figure(low, high) -> str:
    if low is None and high is None:
        return "not reported"
    return f"{low:,}" if high in (None, low) else f"{low or 0:,}–{high:,}"


def _payload(data: ReportData) -> dict:
    """What the index page's script filters: compact rows, the chart specs and the names."""
    sources = sorted({row["source"] for row in data.monthly_harm})
    areas = json.loads((STATIC / "admin1_boundaries.geojson").read_text(encoding="utf-8"))
    # The map's rows name a country, source, grading, governorate and belligerents by their
    # position in these lists: a third of the page's weight otherwise.
    codes = data.dimensions
    position = {
        name: {value: i for i, value in enumerate(values)} for name, values in codes.items()
    }

    def dimensions(r: dict) -> list:
        return [
            r["month"] if isinstance(r["month"], str) else _month_key(r["month"]),
            position["country"][r["country_iso3"] or ""],
            position["source"][r["source"]],
            position["grading"][r["grading"]],
            int(r["headline_grading"]),
            [position["belligerent"][b] for b in r["belligerent_ids"] or []],
        ]

    return {
        "sources": sources,
        "codes": codes,
        "monthly": [
            [
                _month_key(r["month"]),
                r["country_iso3"],
                r["source"],
                r["grading"],
                r["headline_grading"],
                r["belligerent_id"],
                r["reports"],
                r["civilians_killed_min"],
                r["civilians_killed_max"],
            ]
            for r in data.monthly_harm
        ],
        # Reports per governorate under each combination of the filters, counted in SQL.
        "areas": [
            [*dimensions(r), position["admin1"][r["admin1_code"]], r["reports"]]
            for r in data.area_counts
        ],
        # A point per located report, or none past MAP_POINTS_CAP (the page says so).
        "points": None
        if data.points is None
        else [
            [
                *dimensions(r),
                round(r["latitude"], 3),
                round(r["longitude"], 3),
                # the page of the report's event when not the report's own month, else 0
                r["page"] if r["page"] != _month_key(r["month"]) else 0,
                r["anchor"],
                r["place"] or "",
                _figure(r["civilians_killed_min"], r["civilians_killed_max"]),
            ]
            for r in data.points
        ],
        "monthly_spec": monthly_chart(sources),
        # no point, no legend of the points' colours
        "map_spec": map_spec(areas, codes["source"] if data.points is not None else []),
    }


def _by(rows: list[dict], key: str) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def render_index(data: ReportData, published: datetime) -> dict[str, str]:
    """The index page and the field issues page, by their paths relative to the site's folder."""
    common = {"published": f"{published:%Y-%m-%d %H:%M}"}
    months = data.months
    reasons = data.rejected_reasons
    pages = {
        "index.html": TEMPLATES.get_template("index.html").render(
            **common,
            root="",
            payload=_payload(data),
            countries=sorted({a["country_iso3"] for a in data.admin1}),
            belligerents=sorted(data.belligerents.items(), key=lambda item: item[1]),
            sources=data.dimensions["source"],
            gradings=data.dimensions["grading"],
            first_month=months[0] if months else "",
            last_month=months[-1] if months else "",
            admin1=data.admin1,
            points_cap=data.points_cap,
            located_reports=data.located_reports,
            points_drawn=data.points is not None,
            claims=data.period_comparisons,
            disagreements=data.disagreements,
            reasons=reasons,
            quarantined=sum(r["records"] for r in reasons if r["kept_out_as"] == "quarantined"),
            out_of_scope=sum(r["records"] for r in reasons if r["kept_out_as"] == "out of scope"),
            checks=data.checks,
            unmet=[
                {
                    "check": c,
                    "detail": failure_detail(c.unexpected_count, c.observed_value, c.first_failing),
                }
                for c in data.checks
                if not c.success
            ],
            loads=data.source_loads,
            field_issues=sum(r["issues"] for r in data.field_issues),
            unmapped_names=len(data.unmapped_names),
        )
    }
    pages["field_issues.html"] = TEMPLATES.get_template("field_issues.html").render(
        **common,
        root="",
        issues=_by(data.field_issues, "source"),
        unmapped=_by(data.unmapped_names, "source"),
    )
    return pages


def render_month(rows: MonthRows, published: datetime) -> dict[str, str]:
    """A month's two pages: its reports, and its events and period claims."""
    common = {"published": f"{published:%Y-%m-%d %H:%M}", "root": "../"}
    key, label = _month_key(rows.month), f"{rows.month:%B %Y}"
    return {
        f"months/{key}.html": TEMPLATES.get_template("month.html").render(
            **common, key=key, label=label, reports_html=rows.reports_html
        ),
        f"events/{key}.html": TEMPLATES.get_template("events.html").render(
            **common, key=key, label=label, events=rows.events, claims=rows.claims
        ),
    }


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)  # a reader never sees half a page


def _write_static(out_dir: Path) -> None:
    static = out_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        _write(static / name, (STATIC / name).read_text(encoding="utf-8"))
    version = static / VEGA_VERSION
    if not version.exists() or version.read_text(encoding="utf-8") != vl_convert.__version__:
        _write(static / VEGA_BUNDLE, vl_convert.javascript_bundle())
        _write(version, vl_convert.__version__)


def write_report(
    warehouse: Path | Settings, out_dir: Path, *, points_cap: int = MAP_POINTS_CAP
) -> Path:
    """Write the site into `out_dir` from the published warehouse (a file's path, or the
    settings: file or lake), opened read-only, with a map point per located report while there
    are at most `points_cap` of them; return index.html."""
    settings = warehouse if isinstance(warehouse, Settings) else Settings(warehouse, Path())
    published = current_release(settings).published_at.replace(tzinfo=None)
    _write_static(out_dir)
    with reading(settings) as con:
        # A month's pages are written before the next month is read: memory is bounded by the
        # largest month. The index comes last, so that its links lead to pages that exist.
        for rows in month_rows(con):
            for path, text in render_month(rows, published).items():
                _write(out_dir / path, text)
        index = render_index(load(con, points_cap), published)
    for path, text in index.items():
        _write(out_dir / path, text)
    return out_dir / "index.html"
