"""The report's two interactive charts, as specifications Vega draws in the page.

The monthly chart is Vega-Lite, written with Altair; its data is a named data set the page fills
from the filters (static/report.js). The map is plain Vega: Vega-Lite has no zoom or pan for
geographic projections, Vega does (wheel and drag signals on the projection).
"""

from __future__ import annotations

import altair as alt

SOURCE_COLORS = {"airwars": "#1f77b4", "ucdp": "#d62728", "acled": "#2ca02c", "ledger": "#9467bd"}
# A month with no report in the selection has no figure: the line and band stop there.
GAPS = "break-paths-show-domains"


def monthly_chart(sources: list[str]) -> dict:
    """Civilians killed per month and source: a band from the sum of minima to the sum of
    maxima, a line at the minima, and a point per month with its figures and a link to its
    reports."""
    colors = alt.Color(
        "source:N",
        scale=alt.Scale(domain=sources, range=[SOURCE_COLORS.get(s, "#777") for s in sources]),
        legend=alt.Legend(orient="top", title=None),
    )
    base = alt.Chart(alt.Data(name="series")).encode(
        x=alt.X(
            "month:T",
            title=None,
            axis=alt.Axis(
                format="%Y", tickCount={"interval": "year", "step": 1}, labelOverlap=True
            ),
        ),
        color=colors,
    )
    band = base.mark_area(opacity=0.25, invalid=GAPS).encode(
        y=alt.Y("killed_min:Q", title="civilians killed (sum of minima to maxima)"),
        y2="killed_max:Q",
    )
    line = base.mark_line(strokeWidth=1.5, invalid=GAPS).encode(y="killed_min:Q")
    points = base.mark_circle(size=36, opacity=0.9, cursor="pointer").encode(
        y="killed_max:Q",
        href="href:N",
        tooltip=[
            alt.Tooltip("month:T", title="month", format="%B %Y"),
            alt.Tooltip("source:N"),
            alt.Tooltip("reports:Q", title="reports", format=","),
            alt.Tooltip("killed_min:Q", title="civilians killed, min", format=","),
            alt.Tooltip("killed_max:Q", title="civilians killed, max", format=","),
        ],
    )
    chart = (band + line + points).properties(width="container", height=300)
    return chart.configure_view(stroke=None).to_dict()


def map_spec(areas: dict, sources: list[str]) -> dict:
    """Governorates shaded by their reports in the selection (a square-root scale, so that 250
    and 3,000 both read), the reports with coordinates as points; wheel zooms, drag pans."""
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "autosize": "none",
        "width": 600,
        "height": 450,
        "signals": [
            {"name": "fitted", "init": "min(width / 0.245, height / 0.19)"},
            {
                "name": "zoom",
                "value": 1,
                "on": [
                    {
                        "events": {"type": "wheel", "consume": True},
                        "update": "clamp(zoom * pow(1.002, -event.deltaY"
                        " * pow(16, event.deltaMode)), 0.7, 40)",
                    },
                ],
            },
            {
                "name": "down",
                "value": None,
                "on": [
                    {"events": "mousedown", "update": "[x(), y(), pan[0], pan[1]]"},
                    {"events": "window:mouseup", "update": "null"},
                ],
            },
            {
                "name": "pan",
                "value": [0, 0],
                "on": [
                    {
                        "events": "window:mousemove",
                        "update": "down ? [down[2] + x() - down[0], down[3] + y() - down[1]] : pan",
                    }
                ],
            },
        ],
        "projections": [
            {
                "name": "projection",
                "type": "mercator",
                "center": [42.1, 33.2],
                "scale": {"signal": "fitted * zoom"},
                "translate": [{"signal": "width / 2 + pan[0]"}, {"signal": "height / 2 + pan[1]"}],
            }
        ],
        "data": [
            {"name": "counts", "values": []},
            {
                "name": "areas",
                "values": areas,
                "format": {"type": "json", "property": "features"},
                "transform": [
                    {
                        "type": "lookup",
                        "from": "counts",
                        "key": "admin1_code",
                        "fields": ["properties.admin1_code"],
                        "values": ["reports"],
                        "as": ["reports"],
                        "default": 0,
                    }
                ],
            },
            {
                "name": "points",
                "values": [],
                "transform": [
                    {
                        "type": "geopoint",
                        "projection": "projection",
                        "fields": ["lon", "lat"],
                    }
                ],
            },
        ],
        "scales": [
            {
                "name": "shade",
                "type": "sqrt",
                "domain": {"data": "counts", "field": "reports"},
                "zero": True,
                "nice": True,
                # From a light orange, not white: an area with a single report stands apart from
                # the grey of an area with none.
                "range": {"scheme": "oranges", "extent": [0.2, 1]},
            },
            {
                "name": "source",
                "type": "ordinal",
                "domain": sources,
                "range": [SOURCE_COLORS.get(s, "#777") for s in sources],
            },
        ],
        "legends": [
            # Below Syria and left of Iraq's south, where the map is empty at any width.
            {
                "fill": "shade",
                "title": "reports",
                "orient": "bottom-left",
                "direction": "horizontal",
                "gradientLength": 140,
                "format": ",d",
            },
            {"fill": "source", "title": "points", "orient": "top-right", "symbolType": "circle"},
        ],
        "marks": [
            {
                "type": "shape",
                "name": "area",
                "from": {"data": "areas"},
                "encode": {
                    "update": {
                        "fill": [
                            {"test": "datum.reports > 0", "scale": "shade", "field": "reports"},
                            {"value": "#f2f2f2"},
                        ],
                        "stroke": {"value": "#555"},
                        "strokeWidth": {"value": 0.7},
                        "tooltip": {
                            "signal": "{title: datum.properties.admin1_name,"
                            " reports: format(datum.reports, ',')}"
                        },
                    },
                    "hover": {"stroke": {"value": "#000"}, "strokeWidth": {"value": 2}},
                },
                "transform": [{"type": "geoshape", "projection": "projection"}],
            },
            {
                "type": "symbol",
                "name": "point",
                "from": {"data": "points"},
                "encode": {
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "size": {"signal": "min(8 * zoom, 60)"},
                        "fill": {"scale": "source", "field": "source"},
                        "fillOpacity": {"value": 0.5},
                        "href": {"field": "href"},
                        "tooltip": {
                            "signal": "{title: datum.place, date: datum.date,"
                            " source: datum.source, 'civilians killed': datum.killed}"
                        },
                    }
                },
            },
        ],
    }
