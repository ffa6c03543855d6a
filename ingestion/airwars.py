"""Airwars incident exports dropped as CSV files: `airwars/incidents*.csv` and
`airwars/incident_sources*.csv` in the landing folder. Data published by Airwars (airwars.org)."""

from __future__ import annotations

from ingestion.landing import CsvDropFolder, CsvFeed

SOURCE = "airwars"
RAW_TABLES = ("airwars_incidents", "airwars_incident_sources")

INCIDENT_COLUMNS = (
    "incident_code", "airwars_id", "incident_date", "incident_date_end", "date_type", "country",
    "governorate", "region", "location", "latitude", "longitude", "geolocation_accuracy",
    "belligerents", "strike_type", "strike_status", "grading", "civilian_harm_reported",
    "civilians_killed_min", "civilians_killed_max", "children_killed_min", "children_killed_max",
    "women_killed_min", "women_killed_max", "men_killed_min", "men_killed_max",
    "civilians_injured_min", "civilians_injured_max", "source_count", "published_date",
    "last_modified", "url",
)  # fmt: skip

CITATION_COLUMNS = (
    "incident_code", "source_order", "source_name", "platform", "source_date", "url", "archive_url",
)  # fmt: skip

# incident_sources*.csv must not match incidents*.csv.
FEEDS = (
    CsvFeed("incidents*.csv", "airwars_incidents", INCIDENT_COLUMNS),
    CsvFeed("incident_sources*.csv", "airwars_incident_sources", CITATION_COLUMNS),
)


landing_files, ensure_raw_tables, land = CsvDropFolder(SOURCE, FEEDS).functions()
