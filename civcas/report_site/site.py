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
from civcas.report_site.data import ReportData, load
from civcas.settings import Settings
from expectations.results import failure_detail

DISAGREEMENTS = ("denied", "disjoint", "overlap")
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


def _event_page(report: dict, event_months: dict[str, str]) -> str:
    """The month of the page showing a report: its event's first month (an event can start
    before the report), or the report's own month for a period claim."""
    return event_months.get(report["event_id"], _month_key(report["month"]))


def _payload(data: ReportData) -> dict:
    """What the index page's script filters: compact rows, the chart specs and the names."""
    sources = sorted({row["source"] for row in data.monthly_harm})
    areas = json.loads((STATIC / "admin1_boundaries.geojson").read_text(encoding="utf-8"))
    event_months = {row["event_id"]: _month_key(row["month"]) for row in data.events}
    # The map's rows name a country, source, grading, governorate and belligerents by their
    # position in these lists: a third of the page's weight otherwise.
    codes = {
        "country": sorted({r["country_iso3"] or "" for r in data.reports}),
        "source": sorted({r["source"] for r in data.reports}),
        "grading": sorted({r["grading"] for r in data.reports}),
        "admin1": sorted({r["admin1_code"] or "" for r in data.reports}),
        "belligerent": sorted({b for r in data.reports for b in r["belligerent_ids"] or []}),
    }
    position = {
        name: {value: i for i, value in enumerate(values)} for name, values in codes.items()
    }
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
        "reports": [
            [
                _month_key(r["month"]),
                position["country"][r["country_iso3"] or ""],
                position["source"][r["source"]],
                position["grading"][r["grading"]],
                int(r["headline_grading"]),
                [position["belligerent"][b] for b in r["belligerent_ids"] or []],
                position["admin1"][r["admin1_code"] or ""],
                None if r["latitude"] is None else round(r["latitude"], 3),
                None if r["longitude"] is None else round(r["longitude"], 3),
                # the page of the report's event when not the report's own month, else 0
                (page if (page := _event_page(r, event_months)) != _month_key(r["month"]) else 0),
                r["event_id"] or r["report_id"],
                r["place"] or "",
                _figure(r["civilians_killed_min"], r["civilians_killed_max"]),
            ]
            for r in data.reports
        ],
        "monthly_spec": monthly_chart(sources),
        "map_spec": map_spec(areas, sorted({r["source"] for r in data.reports})),
    }


def _by(rows: list[dict], key: str) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def render(data: ReportData, published: datetime) -> dict[str, str]:
    """Every page of the site, by its path relative to the site's folder."""
    common = {"published": f"{published:%Y-%m-%d %H:%M}"}
    months = sorted({_month_key(r["month"]) for r in data.reports})
    reasons = data.rejected_reasons
    pages = {
        "index.html": TEMPLATES.get_template("index.html").render(
            **common,
            root="",
            payload=_payload(data),
            countries=sorted({a["country_iso3"] for a in data.admin1}),
            belligerents=sorted(data.belligerents.items(), key=lambda item: item[1]),
            sources=sorted({r["source"] for r in data.reports}),
            gradings=sorted({r["grading"] for r in data.reports}),
            first_month=months[0] if months else "",
            last_month=months[-1] if months else "",
            admin1=data.admin1,
            claims=data.period_comparisons,
            disagreements=[e for e in data.events if e["agreement"] in DISAGREEMENTS],
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
    event_months = {e["event_id"]: _month_key(e["month"]) for e in data.events}
    reports_by_month = _by(data.reports, "month")
    reports_by_event = _by(data.reports, "event_id")
    links_by_event = _by(data.event_links, "event_id")
    citations_by_report = _by(data.citations, "report_id")
    comparisons_by_claim = _by(data.period_comparisons, "claim_report_id")
    events_by_month = _by(data.events, "month")
    month_page = TEMPLATES.get_template("month.html")
    events_page = TEMPLATES.get_template("events.html")
    for month in sorted(set(reports_by_month) | set(events_by_month)):
        key, label = _month_key(month), f"{month:%B %Y}"
        reports = [
            r
            | {
                "page": _event_page(r, event_months),
                "anchor": r["event_id"] or r["report_id"],
            }
            for r in reports_by_month.get(month, [])
        ]
        pages[f"months/{key}.html"] = month_page.render(
            **common, root="../", key=key, label=label, reports=reports
        )
        events = [
            e
            | {
                "reports": reports_by_event[e["event_id"]],
                "links": links_by_event.get(e["event_id"], []),
                "citations": [
                    c
                    for r in reports_by_event[e["event_id"]]
                    for c in citations_by_report.get(r["report_id"], [])
                ],
            }
            for e in events_by_month.get(month, [])
        ]
        claims = [
            r | {"comparisons": comparisons_by_claim.get(r["report_id"], [])}
            for r in reports_by_month.get(month, [])
            if r["event_id"] is None
        ]
        pages[f"events/{key}.html"] = events_page.render(
            **common, root="../", key=key, label=label, events=events, claims=claims
        )
    return pages


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


def write_report(warehouse: Path | Settings, out_dir: Path) -> Path:
    """Write the site into `out_dir` from the published warehouse (a file's path, or the
    settings: file or lake), opened read-only; return index.html."""
    settings = warehouse if isinstance(warehouse, Settings) else Settings(warehouse, Path())
    published = current_release(settings).published_at.replace(tzinfo=None)
    with reading(settings) as con:
        data = load(con)
    _write_static(out_dir)
    for path, text in render(data, published).items():
        _write(out_dir / path, text)
    return out_dir / "index.html"
