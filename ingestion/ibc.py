"""Iraq Body Count incidents exports dropped in the landing folder: `ibc/ibc-incidents*.csv`,
landed as text into raw.ibc_incidents (the lines of notes above the header are not records).
Reports are `ibc:<IBC code>`. IBC keeps copyright over its data: civcas bundles none
(docs/ibc.md says how to drop a real export in)."""

from __future__ import annotations

from ingestion.landing import CsvDropFolder, CsvFeed

SOURCE = "ibc"
RAW_TABLES = ("ibc_incidents",)
# The credit `civcas export` writes when the drop folder holds no ATTRIBUTION.md of its own.
ATTRIBUTION = (
    "Iraq Body Count (https://www.iraqbodycount.org), incidents export. IBC keeps copyright"
    " over its data: credit it and follow its terms of use when publishing anything built on it."
)
# IBC's header, as its export writes it.
COLUMNS = (
    "IBC code", "Start Date", "End Date", "Time", "Location", "Target", "Weapons",
    "Reported Minimum", "Reported Maximum", "Sources",
)  # fmt: skip


FEEDS = (CsvFeed("ibc-incidents*.csv", RAW_TABLES[0], COLUMNS, notes_before_header=True),)


landing_files, ensure_raw_tables, land = CsvDropFolder(SOURCE, FEEDS).functions()
