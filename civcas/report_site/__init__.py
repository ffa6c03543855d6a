"""The analyst's report: a static HTML site drawn from the published warehouse, with no network.

Charts are inline SVG rendered here in Python (docs/report.md says why); `write_report` is the
one entry point, used by `civcas report` and the `report/analyst_report` Dagster asset.
"""

from civcas.report_site.site import write_report

__all__ = ["write_report"]
