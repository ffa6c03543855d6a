"""The analyst's report: a static HTML site drawn from the published warehouse, with no network.

Its data comes from the dbt reporting models, its pages from Jinja2 templates, its charts from
Vega and Vega-Lite bundled beside the pages (docs/report.md); `write_report` is the one entry
point, used by `civcas report` and the `report/analyst_report` Dagster asset.
"""

from civcas.report_site.site import write_report

__all__ = ["write_report"]
